using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using SlaWatch.Domain.Complaints;
using SlaWatch.Infrastructure.Complaints;

namespace SlaWatch.Worker.Board;

/// <summary>
/// The board's HTML. Every value from the database goes through <see cref="HtmlEncoder"/>; the one inline script and
/// style carry the response's CSP nonce. The script ticks the countdowns every second (from the server's clock, so a
/// browser whose clock is off still counts right) and re-reads the page every <see cref="RefreshSeconds"/> seconds,
/// swapping in the new table; without JavaScript a meta refresh does the re-reading.
/// </summary>
internal static class BoardPage
{
    public const int RefreshSeconds = 15;

    // Markup characters are still encoded; letters of every script stay readable in the page source (the page is UTF-8).
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Render(IReadOnlyList<BoardRow> rows, DateTimeOffset now, string viewer, string nonce)
    {
        var html = new StringBuilder(4096 + (rows.Count * 1024));
        Head(html, "SlaWatch — supervisor board", nonce, refresh: true);
        html.Append(CultureInfo.InvariantCulture, $"<body><header><h1>Supervisor board</h1><p>Updated <span id=\"updated\">{Html.Encode(Time(now))}</span> · signed in as {Html.Encode(viewer)} · refreshes every {RefreshSeconds} s</p></header>\n");
        Board(html, rows, now);
        Script(html, nonce);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>
    /// Only the <c>main</c> element: what the script swaps in. No style or script in it, so parsing it in the page does
    /// not trip the page's CSP (a full page's style carries another response's nonce).
    /// </summary>
    public static string Fragment(IReadOnlyList<BoardRow> rows, DateTimeOffset now)
    {
        var html = new StringBuilder(2048 + (rows.Count * 1024));
        Board(html, rows, now);
        return html.ToString();
    }

    private static void Board(StringBuilder html, IReadOnlyList<BoardRow> rows, DateTimeOffset now)
    {
        html.Append(CultureInfo.InvariantCulture, $"<main id=\"board\" data-server-now=\"{Iso(now)}\" data-updated=\"{Html.Encode(Time(now))}\">\n");
        var breached = rows.Count(r => r.Situation.State == ComplaintStates.Breached);
        var atRisk = rows.Count(r => r.Situation.State == ComplaintStates.AtRisk);
        var calls = rows.Count(r => r.Complaint.CallCustomer);
        html.Append(CultureInfo.InvariantCulture, $"<p id=\"summary\"><span class=\"count breached\">{breached} breached</span> <span class=\"count at-risk\">{atRisk} at risk</span> <span class=\"count call\">{calls} to call</span></p>\n");
        if (rows.Count == 0)
        {
            html.Append("<p id=\"empty\">Nothing is at risk or breached now.</p>\n");
        }
        else
        {
            html.Append("<table><thead><tr><th>State</th><th>Due</th><th>Reference</th><th>Inbox</th><th>Customer</th><th>Language</th><th>Subject</th><th>Call</th><th>Alerted</th></tr></thead><tbody>\n");
            foreach (var row in rows)
            {
                Row(html, row, now);
            }

            html.Append("</tbody></table>\n");
        }

        html.Append("</main>\n");
    }

    public static string Refused(string message, string nonce)
    {
        var html = new StringBuilder(1024);
        Head(html, "SlaWatch — board", nonce, refresh: false);
        html.Append(CultureInfo.InvariantCulture, $"<body><main><h1>Supervisor board</h1><p id=\"refused\">{Html.Encode(message)}</p></main></body></html>\n");
        return html.ToString();
    }

    private static void Row(StringBuilder html, BoardRow row, DateTimeOffset now)
    {
        var c = row.Complaint;
        var s = row.Situation;
        html.Append(CultureInfo.InvariantCulture, $"<tr class=\"{Html.Encode(s.State)}\" data-reference=\"{Html.Encode(c.Reference)}\">");
        html.Append(CultureInfo.InvariantCulture, $"<td class=\"state\">{Html.Encode(StateText(s.State))}</td>");
        if (s.DueAt is { } due)
        {
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"due{(due <= now ? " overdue" : string.Empty)}\"><time class=\"countdown\" datetime=\"{Iso(due)}\" data-due=\"{Iso(due)}\">{Html.Encode(Countdown(due - now))}</time><span class=\"deadline\">{Html.Encode(DeadlineText(s.Deadline))} · {Html.Encode(Time(due))}</span></td>");
        }
        else
        {
            html.Append("<td class=\"due\">—</td>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<td class=\"reference\">{Html.Encode(c.Reference)}</td>");
        html.Append(CultureInfo.InvariantCulture, $"<td class=\"inbox\">{Html.Encode(c.Inbox)}</td>");
        var customer = string.IsNullOrWhiteSpace(c.CustomerName) ? c.CustomerAddress : $"{c.CustomerName} <{c.CustomerAddress}>";
        html.Append(CultureInfo.InvariantCulture, $"<td class=\"customer\">{Html.Encode(customer)}{(c.CustomerUnreachable ? " <em>(email bounced)</em>" : string.Empty)}</td>");
        html.Append(CultureInfo.InvariantCulture, $"<td class=\"language\">{Html.Encode(c.Language)}</td>");
        html.Append(CultureInfo.InvariantCulture, $"<td class=\"subject\">{Html.Encode(c.Subject)}</td>");
        html.Append(c.CallCustomer
            ? $"<td class=\"call\"><strong>Call the customer</strong>{(string.IsNullOrWhiteSpace(c.ContentFlags) ? string.Empty : " <span class=\"flags\">(" + Html.Encode(c.ContentFlags) + ")</span>")}</td>"
            : "<td class=\"call\"></td>");
        html.Append("<td class=\"alerts\">");
        if (row.Alerts.Count == 0)
        {
            html.Append("<span class=\"none\">nobody yet</span>");
        }
        else
        {
            html.Append("<ul>");
            foreach (var alert in row.Alerts)
            {
                Alert(html, alert);
            }

            html.Append("</ul>");
        }

        html.Append("</td></tr>\n");
    }

    private static void Alert(StringBuilder html, Alert alert)
    {
        var recipients = string.IsNullOrWhiteSpace(alert.Recipients) ? "nobody configured" : string.Join(", ", alert.Recipients.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        html.Append(CultureInfo.InvariantCulture, $"<li class=\"alert\"><span class=\"level\">{Html.Encode(alert.LevelName)}</span> ({Html.Encode(StageText(alert))}, {Html.Encode(Time(alert.RecordedAt))}): <span class=\"recipients\">{Html.Encode(recipients)}</span>");
        html.Append(alert.AcknowledgedAt is { } at
            ? $" — <span class=\"acknowledged\">acknowledged by {Html.Encode(alert.AcknowledgedBy ?? "someone")} at {Html.Encode(Time(at))}</span>"
            : " — <span class=\"unacknowledged\">not acknowledged</span>");
        html.Append("</li>");
    }

    private static void Head(StringBuilder html, string title, string nonce, bool refresh)
    {
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        if (refresh)
        {
            html.Append(CultureInfo.InvariantCulture, $"<noscript><meta http-equiv=\"refresh\" content=\"{RefreshSeconds}\"></noscript>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<title>{Html.Encode(title)}</title><style nonce=\"{Html.Encode(nonce)}\">");
        html.Append("""
            body{font-family:system-ui,sans-serif;margin:1rem;color:#222}
            header p{color:#555;margin-top:0}
            table{border-collapse:collapse;width:100%}
            th,td{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
            tr.breached td.state{color:#fff;background:#b00020;font-weight:bold}
            tr.at-risk td.state{background:#ffb300;font-weight:bold}
            td.reference,td.due .countdown{white-space:nowrap}
            td.due .countdown{display:block;font-variant-numeric:tabular-nums;font-weight:bold}
            td.due.overdue .countdown{color:#b00020}
            td.due .deadline{font-size:.85em;color:#555}
            td.call strong{color:#b00020}
            td.alerts ul{margin:0;padding-left:1rem}
            .count{margin-right:1rem;font-weight:bold}
            """);
        html.Append("</style></head>");
    }

    private static void Script(StringBuilder html, string nonce)
    {
        html.Append(CultureInfo.InvariantCulture, $"<script nonce=\"{Html.Encode(nonce)}\">");
        html.Append(CultureInfo.InvariantCulture, $$"""
            (function () {
              'use strict';
              var skew = Date.parse(document.getElementById('board').getAttribute('data-server-now')) - Date.now();
              function span(ms) {
                var s = Math.floor(Math.abs(ms) / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
                return (h > 0 ? h + ' h ' : '') + (h > 0 || m > 0 ? m + ' min ' : '') + (s % 60) + ' s';
              }
              function tick() {
                var now = Date.now() + skew;
                document.querySelectorAll('time[data-due]').forEach(function (t) {
                  var left = Date.parse(t.getAttribute('data-due')) - now;
                  t.textContent = left > 0 ? 'in ' + span(left) : 'overdue ' + span(left);
                  t.parentElement.classList.toggle('overdue', left <= 0);
                });
              }
              function refresh() {
                fetch(window.location.pathname + '?fragment=1', { credentials: 'same-origin', cache: 'no-store', headers: { 'Accept': 'text/html' } })
                  .then(function (response) {
                    if (!response.ok) { window.location.reload(); return null; }
                    return response.text();
                  })
                  .then(function (text) {
                    if (text === null) { return; }
                    var board = new DOMParser().parseFromString(text, 'text/html').getElementById('board');
                    if (!board) { return; }
                    skew = Date.parse(board.getAttribute('data-server-now')) - Date.now();
                    document.getElementById('board').replaceWith(document.importNode(board, true));
                    document.getElementById('updated').textContent = board.getAttribute('data-updated');
                    tick();
                  })
                  .catch(function () { /* the next refresh tries again */ });
              }
              tick();
              window.setInterval(tick, 1000);
              window.setInterval(refresh, {{RefreshSeconds * 1000}});
            })();
            """);
        html.Append("</script>");
    }

    private static string StateText(string state) => state switch
    {
        ComplaintStates.Breached => "breached",
        ComplaintStates.AtRisk => "at risk",
        ComplaintStates.OnTime => "on time",
        _ => state,
    };

    private static string DeadlineText(string? deadline) => deadline switch
    {
        "FirstResponse" => "first response",
        "Promise" => "promised resolution",
        null => string.Empty,
        _ => deadline,
    };

    private static string StageText(Alert alert) => alert.Stage switch
    {
        "AtRisk" => $"at risk, {DeadlineText(alert.Deadline)}",
        "Breached" => $"breached, {DeadlineText(alert.Deadline)}",
        "Content" => "the customer's words",
        _ => alert.Stage,
    };

    /// <summary>The same wording as the script, so the page reads the same before the first tick.</summary>
    private static string Countdown(TimeSpan left)
    {
        var total = (long)Math.Floor(Math.Abs(left.TotalSeconds));
        var h = total / 3600;
        var m = total % 3600 / 60;
        var text = (h > 0 ? $"{h} h " : string.Empty) + (h > 0 || m > 0 ? $"{m} min " : string.Empty) + $"{total % 60} s";
        return left > TimeSpan.Zero ? "in " + text : "overdue " + text;
    }

    private static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
