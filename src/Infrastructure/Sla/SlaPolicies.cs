using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SlaWatch.Domain.Sla;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Infrastructure.Sla;

/// <summary>Builds each inbox's <see cref="InboxSla"/> from configuration once; the start-up validation uses the same code.</summary>
public sealed class SlaPolicies(IOptions<SlaWatchOptions> options, IOptions<SlaOptions> sla, IOptions<EscalationOptions> escalation)
{
    private readonly ConcurrentDictionary<string, InboxSla> _cache = new(StringComparer.Ordinal);

    public InboxSla For(string inboxName) => _cache.GetOrAdd(inboxName, name =>
    {
        // An inbox removed from the configuration still has open complaints: they keep the global SLA and chain
        // rather than stopping the deadline watcher.
        var inbox = options.Value.Inboxes.FirstOrDefault(i => i.Name == name) ?? new InboxOptions { Name = name };
        var index = options.Value.Inboxes.IndexOf(inbox);
        return Build(inbox, $"SlaWatch:Inboxes:{index}", sla.Value, escalation.Value);
    });

    /// <summary>Builds and checks; a bad value throws <see cref="FormatException"/> naming the key.</summary>
    public static InboxSla Build(InboxOptions inbox, string inboxKey, SlaOptions global, EscalationOptions globalEscalation)
    {
        var own = inbox.Sla;
        var firstResponse = SlaOptions.FirstResponseFor(inbox, global);
        var atRisk = own?.AtRisk ?? global.AtRisk ?? [SlaOptions.DefaultAtRisk];
        var lead = own?.PromiseAtRiskLead ?? global.PromiseAtRiskLead ?? SlaOptions.DefaultPromiseAtRiskLead;
        var calendarOptions = own?.Calendar ?? global.Calendar;
        var calendarKey = own?.Calendar is null ? "SlaWatch:Sla:Calendar" : $"{inboxKey}:Sla:Calendar";
        BusinessCalendar calendar;
        try
        {
            calendar = BusinessCalendar.Parse(calendarOptions?.TimeZone, calendarOptions?.Hours ?? [], calendarOptions?.Holidays ?? []);
        }
        catch (Exception ex) when (ex is FormatException or TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new FormatException($"{calendarKey}: {ex.Message}", ex);
        }

        var levelOptions = inbox.Escalation?.Levels ?? globalEscalation.Levels ?? [];
        var levelsKey = inbox.Escalation?.Levels is null ? "SlaWatch:Escalation:Levels" : $"{inboxKey}:Escalation:Levels";
        var levels = new List<EscalationLevel>(levelOptions.Count);
        for (var i = 0; i < levelOptions.Count; i++)
        {
            var level = levelOptions[i];
            EscalationTrigger trigger;
            try
            {
                trigger = EscalationTrigger.Parse(level.Trigger);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"{levelsKey}:{i}:Trigger: {ex.Message}", ex);
            }

            var name = string.IsNullOrWhiteSpace(level.Name) ? $"level {i + 1}" : level.Name;
            levels.Add(new EscalationLevel(i, name, trigger, level.Notify, level.Webhooks));
        }

        var contentLevelName = inbox.Escalation?.ContentLevel ?? globalEscalation.ContentLevel;
        var contentLevel = contentLevelName is null
            ? levels.FirstOrDefault(l => l.Trigger.Kind == TriggerKind.Breached) ?? levels.LastOrDefault()
            : levels.FirstOrDefault(l => string.Equals(l.Name, contentLevelName, StringComparison.OrdinalIgnoreCase))
              ?? throw new FormatException($"SlaWatch:Escalation:ContentLevel: no level is named '{contentLevelName}'.");
        var lifetime = inbox.Escalation?.AckLinkLifetime ?? globalEscalation.AckLinkLifetime ?? TimeSpan.FromDays(2);
        return new InboxSla(new SlaPolicy(firstResponse, atRisk.Where(p => p < firstResponse).Order().ToList(), lead, calendar), levels, contentLevel, lifetime);
    }
}
