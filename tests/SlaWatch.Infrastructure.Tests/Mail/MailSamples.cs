using SlaWatch.Domain.Mail;

namespace SlaWatch.Infrastructure.Tests.Mail;

/// <summary>The sample messages under Samples/Mail (see its README.md) and the identity they were written for.</summary>
internal static class MailSamples
{
    public const string AckMessageId = "ack.42.0123456789abcdef@support.example.test";

    public static readonly OwnIdentity Us = new(
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "support@support.example.test", "bounces@support.example.test" },
        "support.example.test");

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Samples", "Mail");

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Folder, name));
}
