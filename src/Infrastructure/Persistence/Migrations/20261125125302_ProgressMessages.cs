using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SlaWatch.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ProgressMessages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_customer_message_at",
                table: "complaints",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "promise_earliest_at",
                table: "complaints",
                type: "timestamp with time zone",
                nullable: true);

            // Complaints acknowledged before this column existed: their last message is the acknowledgement.
            migrationBuilder.Sql(
                "UPDATE complaints c SET last_customer_message_at = o.created_at FROM (SELECT complaint_id, max(created_at) AS created_at FROM outbox WHERE kind = 'acknowledgement' GROUP BY complaint_id) o WHERE o.complaint_id = c.id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "last_customer_message_at",
                table: "complaints");

            migrationBuilder.DropColumn(
                name: "promise_earliest_at",
                table: "complaints");
        }
    }
}
