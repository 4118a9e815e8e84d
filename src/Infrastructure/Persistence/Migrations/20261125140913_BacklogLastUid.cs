using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SlaWatch.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BacklogLastUid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "backlog_last_uid",
                table: "imap_folder_states",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // A folder still at its start (nothing handled yet) keeps treating everything there as backlog.
            migrationBuilder.Sql("UPDATE imap_folder_states SET backlog_last_uid = 4294967295 WHERE last_uid = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "backlog_last_uid",
                table: "imap_folder_states");
        }
    }
}
