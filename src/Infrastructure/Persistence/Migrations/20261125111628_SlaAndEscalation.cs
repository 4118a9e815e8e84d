using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SlaWatch.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SlaAndEscalation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "call_customer",
                table: "complaints",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "content_flags",
                table: "complaints",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_response_due_at",
                table: "complaints",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_alert_at",
                table: "complaints",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "promise_due_at",
                table: "complaints",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "promise_outcome",
                table: "complaints",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "promise_version",
                table: "complaints",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "promised_at",
                table: "complaints",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "alerts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    complaint_id = table.Column<long>(type: "bigint", nullable: false),
                    deadline = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    deadline_version = table.Column<int>(type: "integer", nullable: false),
                    level_index = table.Column<int>(type: "integer", nullable: false),
                    level_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    point = table.Column<int>(type: "integer", nullable: false),
                    stage = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    threshold_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recipients = table.Column<string>(type: "text", nullable: true),
                    acknowledged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    acknowledged_by = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alerts", x => x.id);
                    table.ForeignKey(
                        name: "fk_alerts_complaints_complaint_id",
                        column: x => x.complaint_id,
                        principalTable: "complaints",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_complaints_next_alert_at",
                table: "complaints",
                column: "next_alert_at",
                filter: "next_alert_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_alerts_complaint_id_deadline_deadline_version_level_index_p",
                table: "alerts",
                columns: new[] { "complaint_id", "deadline", "deadline_version", "level_index", "point" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alerts");

            migrationBuilder.DropIndex(
                name: "ix_complaints_next_alert_at",
                table: "complaints");

            migrationBuilder.DropColumn(
                name: "call_customer",
                table: "complaints");

            migrationBuilder.DropColumn(
                name: "content_flags",
                table: "complaints");

            migrationBuilder.DropColumn(
                name: "first_response_due_at",
                table: "complaints");

            migrationBuilder.DropColumn(
                name: "next_alert_at",
                table: "complaints");

            migrationBuilder.DropColumn(
                name: "promise_due_at",
                table: "complaints");

            migrationBuilder.DropColumn(
                name: "promise_outcome",
                table: "complaints");

            migrationBuilder.DropColumn(
                name: "promise_version",
                table: "complaints");

            migrationBuilder.DropColumn(
                name: "promised_at",
                table: "complaints");
        }
    }
}
