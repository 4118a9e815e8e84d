using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SlaWatch.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SocialInboxes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "channel_cursors",
                columns: table => new
                {
                    inbox = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    cursor = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    last_polled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_channel_cursors", x => x.inbox);
                });

            migrationBuilder.CreateTable(
                name: "social_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    inbox = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    platform_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    thread_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    in_reply_to = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    author_id = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    author_name = table.Column<string>(type: "text", nullable: true),
                    role = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reply_context = table.Column<string>(type: "text", nullable: true),
                    language_hint = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    fetched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    classification = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    complaint_id = table.Column<long>(type: "bigint", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_social_messages", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_social_messages_inbox_platform_id",
                table: "social_messages",
                columns: new[] { "inbox", "platform_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_social_messages_status",
                table: "social_messages",
                column: "status",
                filter: "status = 'Fetched'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "channel_cursors");

            migrationBuilder.DropTable(
                name: "social_messages");
        }
    }
}
