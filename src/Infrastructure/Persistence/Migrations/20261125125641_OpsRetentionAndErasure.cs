using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SlaWatch.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OpsRetentionAndErasure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "raw_purged_at",
                table: "inbound_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "erasures",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    subject_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    complaints = table.Column<int>(type: "integer", nullable: false),
                    inbound_messages = table.Column<int>(type: "integer", nullable: false),
                    outbox_messages = table.Column<int>(type: "integer", nullable: false),
                    thread_ids = table.Column<int>(type: "integer", nullable: false),
                    events = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_erasures", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_messages_fetched_at",
                table: "inbound_messages",
                column: "fetched_at",
                filter: "raw_purged_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_erasures_subject_hash",
                table: "erasures",
                column: "subject_hash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "erasures");

            migrationBuilder.DropIndex(
                name: "ix_inbound_messages_fetched_at",
                table: "inbound_messages");

            migrationBuilder.DropColumn(
                name: "raw_purged_at",
                table: "inbound_messages");
        }
    }
}
