using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SlaWatch.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AlertIdsFromHiLo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence(
                name: "alert_ids",
                incrementBy: 10);

            migrationBuilder.AlterColumn<long>(
                name: "id",
                table: "alerts",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint")
                .OldAnnotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

            // Alerts recorded before this migration keep their ids; new ones start above them.
            migrationBuilder.Sql("SELECT setval('alert_ids', COALESCE((SELECT max(id) FROM alerts), 0) + 1, false);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropSequence(
                name: "alert_ids");

            migrationBuilder.AlterColumn<long>(
                name: "id",
                table: "alerts",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint")
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
        }
    }
}
