using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SlaWatch.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Raw mail is compressed with lz4 instead of PostgreSQL's default pglz: in benchmark B1 compressing the stored
    /// messages was the largest part of PostgreSQL's CPU (4.3 → 2.6 CPU-seconds per 5,000 messages, complaints recorded
    /// 481 → 552 per second). Only new values are affected. A server without lz4 (built without it, or older than
    /// PostgreSQL 14) keeps pglz: the change is skipped with a notice rather than failing the start.
    /// </summary>
    public partial class RawMailLz4Compression : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    EXECUTE 'ALTER TABLE inbound_messages ALTER COLUMN raw SET COMPRESSION lz4';
                EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN
                    RAISE NOTICE 'inbound_messages.raw keeps the default compression: %', SQLERRM;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    EXECUTE 'ALTER TABLE inbound_messages ALTER COLUMN raw SET COMPRESSION default';
                EXCEPTION WHEN feature_not_supported OR syntax_error THEN
                    NULL;
                END
                $$;
                """);
        }
    }
}
