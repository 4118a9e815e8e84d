using Npgsql;

namespace SlaWatch.Integration.Tests.Digest;

/// <summary>A complaint written straight into PostgreSQL, in a known state (no alerts pending: next_alert_at stays null).</summary>
internal sealed record SeedComplaint(
    string Reference,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? FirstResponseDueAt,
    DateTimeOffset? RespondedAt = null,
    DateTimeOffset? ResolvedAt = null,
    string Inbox = "support",
    string Language = "en",
    string Customer = "someone@customer.test",
    string? CustomerName = null,
    string Subject = "A complaint",
    DateTimeOffset? PromisedAt = null,
    DateTimeOffset? PromiseDueAt = null,
    bool CallCustomer = false);

/// <summary>Seeds complaints, events, alerts and outbox rows for the read-side and digest tests.</summary>
internal static class ComplaintSeed
{
    public static async Task<long> InsertAsync(string connectionString, SeedComplaint c)
    {
        var status = c.ResolvedAt is not null ? "Resolved" : c.RespondedAt is not null ? "Responded" : "Open";
        return (long)(await ScalarAsync(
            connectionString,
            """
            INSERT INTO complaints (reference, channel, inbox, customer_address, customer_name, subject, language, received_at, detected_at,
                                    status, responded_at, resolved_at, customer_unreachable, first_response_due_at, promised_at, promise_due_at,
                                    promise_version, call_customer, content_flags)
            VALUES (@reference, 'Imap', @inbox, @customer, @name, @subject, @language, @received, @received,
                    @status, @responded, @resolved, false, @due, @promised, @promise_due,
                    @version, @call, @flags)
            RETURNING id
            """,
            ("reference", c.Reference), ("inbox", c.Inbox), ("customer", c.Customer), ("name", (object?)c.CustomerName ?? DBNull.Value),
            ("subject", c.Subject), ("language", c.Language), ("received", c.ReceivedAt), ("status", status),
            ("responded", (object?)c.RespondedAt ?? DBNull.Value), ("resolved", (object?)c.ResolvedAt ?? DBNull.Value),
            ("due", (object?)c.FirstResponseDueAt ?? DBNull.Value), ("promised", (object?)c.PromisedAt ?? DBNull.Value),
            ("promise_due", (object?)c.PromiseDueAt ?? DBNull.Value), ("version", c.PromiseDueAt is null ? 0 : 1),
            ("call", c.CallCustomer), ("flags", c.CallCustomer ? "ManagerRequest" : DBNull.Value)))!;
    }

    public static Task EventAsync(string connectionString, long complaintId, DateTimeOffset at, string type, string actor = "slawatch", string? detail = null) =>
        ScalarAsync(
            connectionString,
            "INSERT INTO complaint_events (complaint_id, at, type, actor, detail) VALUES (@id, @at, @type, @actor, @detail)",
            ("id", complaintId), ("at", at), ("type", type), ("actor", actor), ("detail", (object?)detail ?? DBNull.Value));

    public static async Task<object?> ScalarAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync();
    }
}
