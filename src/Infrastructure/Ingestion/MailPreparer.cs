using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;
using SlaWatch.Domain.Escalation;
using SlaWatch.Domain.Languages;
using SlaWatch.Domain.Mail;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Languages;
using SlaWatch.Infrastructure.Mail;

namespace SlaWatch.Infrastructure.Ingestion;

/// <summary>
/// The part of handling a message that needs no database: parse, classify, detect the language and the content flags.
/// Thread-safe (the parser, the classifier, Lingua and the phrase rules are), so the watcher runs it for a whole batch
/// on both cores while the previous batch is being written.
/// </summary>
public sealed class MailPreparer(
    InboundMailParser parser,
    ILanguageDetector languageDetector,
    ContentEscalationRules contentRules,
    IOptions<SmtpOptions> smtpOptions,
    IOptions<SlaWatchOptions> slaWatchOptions)
{
    private static readonly IReadOnlySet<ContentFlag> NoFlags = new HashSet<ContentFlag>();

    /// <summary>Prepares every message of a batch, in parallel; the result is in the same order.</summary>
    public PreparedMail[] PrepareAll(IReadOnlyList<byte[]> raws, InboxOptions inbox, FolderRole role)
    {
        ArgumentNullException.ThrowIfNull(raws);
        var own = OwnIdentityOf(inbox);
        var prepared = new PreparedMail[raws.Count];
        if (raws.Count <= 1)
        {
            for (var i = 0; i < raws.Count; i++)
            {
                prepared[i] = Prepare(raws[i], inbox, role, own);
            }

            return prepared;
        }

        try
        {
            Parallel.For(0, raws.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => prepared[i] = Prepare(raws[i], inbox, role, own));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        return prepared;
    }

    /// <summary>The complaint's language: Lingua among the configured languages, with Content-Language or the inbox's default as hints.</summary>
    public LanguageCode DetectLanguage(InboxOptions inbox, InboundMailFacts facts)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(facts);
        return DetectLanguage(inbox, facts, TextOf(facts));
    }

    private LanguageCode DetectLanguage(InboxOptions inbox, InboundMailFacts facts, string text)
    {
        var fallback = LanguageCode.TryParse(inbox.DefaultLanguage, out var inboxDefault) ? inboxDefault : LanguageCode.English;
        LanguageCode? hint = LanguageCode.TryParse(facts.ContentLanguage, out var headerLanguage) ? headerLanguage : null;
        return languageDetector.Detect(text, hint, fallback);
    }

    /// <summary>What the language and the escalation phrases are read from: the subject, then the body.</summary>
    private static string TextOf(InboundMailFacts facts) => $"{facts.Subject}\n{facts.BodyText}";

    private PreparedMail Prepare(byte[] raw, InboxOptions inbox, FolderRole role, OwnIdentity own)
    {
        var parsed = parser.Parse(raw, inbox.FallbackCharset);
        if (!parsed.Success || parsed.Facts is null)
        {
            return new PreparedMail(null, parsed.Error ?? "unparseable", null, null, NoFlags);
        }

        var facts = parsed.Facts;
        if (role == FolderRole.Sent)
        {
            return new PreparedMail(facts, null, null, null, NoFlags);
        }

        var verdict = MachineMailClassifier.Classify(facts, own);
        if (!verdict.IsHuman)
        {
            return new PreparedMail(facts, null, verdict, null, NoFlags);
        }

        // Built once: a body can be tens of kilobytes.
        var text = TextOf(facts);
        var language = facts.From is null ? null : DetectLanguage(inbox, facts, text);
        return new PreparedMail(facts, null, verdict, language, contentRules.Detect(text));
    }

    private OwnIdentity OwnIdentityOf(InboxOptions inbox)
    {
        var addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var configured in slaWatchOptions.Value.Inboxes)
        {
            AddAddress(addresses, configured.Address);
        }

        foreach (var staff in inbox.StaffAddresses)
        {
            AddAddress(addresses, staff);
        }

        AddAddress(addresses, smtpOptions.Value.BounceAddress);
        return new OwnIdentity(addresses, InboundMailHandler.DomainOf(inbox.Address));
    }

    private static void AddAddress(HashSet<string> addresses, string? address)
    {
        if (!string.IsNullOrWhiteSpace(address))
        {
            addresses.Add(address.Trim().ToLowerInvariant());
        }
    }
}
