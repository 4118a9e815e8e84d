using System.Text;

namespace SlaWatch.Infrastructure.Mail;

/// <summary>
/// Makes the legacy code pages (koi8-r, windows-125x, GBK/GB18030, Big5, Shift_JIS, cp949, iso-2022-jp …) available.
/// .NET ships only Unicode, ASCII and ISO-8859-1 without it, and MimeKit then garbles or rejects such mail
/// (MailKit FAQ "register-provider"). Safe to call any number of times; the parser calls it itself.
/// </summary>
public static class EncodingSetup
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return true;
    });

    public static void Register() => _ = Registered.Value;
}
