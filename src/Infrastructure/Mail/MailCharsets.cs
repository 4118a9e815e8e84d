using System.Text;

namespace SlaWatch.Infrastructure.Mail;

/// <summary>
/// Charset names as mail actually carries them, mapped to encodings .NET can decode. Mail clients label text with
/// aliases and with a subset of what they really wrote (gb2312 for GBK text, iso-8859-1 for windows-1252, ks_c_5601-1987
/// for cp949), so the map widens to the superset (after osTicket's <c>Charset::normalize</c> and the WHATWG encoding labels).
/// </summary>
public static class MailCharsets
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        // Chinese: gb2312 and GBK labels mostly carry GBK or GB18030 text; GB18030 is the superset of both.
        ["gb2312"] = "gb18030",
        ["gb_2312"] = "gb18030",
        ["gb_2312-80"] = "gb18030",
        ["csgb2312"] = "gb18030",
        ["euc-cn"] = "gb18030",
        ["x-euc-cn"] = "gb18030",
        ["gbk"] = "gb18030",
        ["x-gbk"] = "gb18030",
        ["cp936"] = "gb18030",
        ["ms936"] = "gb18030",
        ["windows-936"] = "gb18030",
        ["chinese"] = "gb18030",
        ["big5-hkscs"] = "big5",
        ["x-x-big5"] = "big5",
        ["cn-big5"] = "big5",
        ["cp950"] = "big5",

        // Korean: ks_c_5601-1987 is Microsoft's label for cp949 (Unified Hangul Code), a superset of EUC-KR.
        ["ks_c_5601-1987"] = "ks_c_5601-1987",
        ["ks_c_5601"] = "ks_c_5601-1987",
        ["ks_c_5601-1989"] = "ks_c_5601-1987",
        ["ksc5601"] = "ks_c_5601-1987",
        ["ksc_5601"] = "ks_c_5601-1987",
        ["korean"] = "ks_c_5601-1987",
        ["cp949"] = "ks_c_5601-1987",
        ["euc-kr"] = "ks_c_5601-1987",
        ["windows-949"] = "ks_c_5601-1987",

        // Japanese.
        ["sjis"] = "shift_jis",
        ["shift-jis"] = "shift_jis",
        ["x-sjis"] = "shift_jis",
        ["ms_kanji"] = "shift_jis",
        ["cp932"] = "shift_jis",
        ["windows-31j"] = "shift_jis",
        ["iso-2022-jp-1"] = "iso-2022-jp",
        ["iso-2022-jp-2"] = "iso-2022-jp",
        ["iso-2022-jp-3"] = "iso-2022-jp",
        ["iso-2022-jp-ms"] = "iso-2022-jp",

        // Western: iso-8859-1 and us-ascii labels on 8-bit text are windows-1252 in practice (WHATWG).
        ["iso-8859-1"] = "windows-1252",
        ["iso8859-1"] = "windows-1252",
        ["iso_8859-1"] = "windows-1252",
        ["latin1"] = "windows-1252",
        ["latin-1"] = "windows-1252",
        ["l1"] = "windows-1252",
        ["x-user-defined"] = "windows-1252",
        ["ansi_x3.4-1968"] = "windows-1252",

        // Cyrillic and Baltic spellings.
        ["koi8r"] = "koi8-r",
        ["koi8"] = "koi8-r",
        ["koi"] = "koi8-r",
        ["koi8u"] = "koi8-u",
        ["iso-8859-8-i"] = "iso-8859-8",
        ["tis-620"] = "windows-874",
        ["utf8"] = "utf-8",
        ["unicode-1-1-utf-8"] = "utf-8",
    };

    /// <summary>Labels that say nothing about the bytes.</summary>
    private static readonly HashSet<string> NoInformation = new(StringComparer.OrdinalIgnoreCase)
    {
        "unknown", "unknown-8bit", "x-unknown", "default", "charset", "none", "us-ascii", "ascii", "us", "7bit", "8bit",
    };

    /// <summary>
    /// Resolves a charset label (quotes, spaces and common misspellings tolerated) to an encoding. False for unknown
    /// labels and for labels that say nothing (us-ascii, unknown-8bit). Throws on nothing.
    /// </summary>
    public static bool TryGetEncoding(string? label, out Encoding encoding)
    {
        EncodingSetup.Register();
        encoding = Encoding.UTF8;
        var name = Normalize(label);
        if (name is null)
        {
            return false;
        }

        try
        {
            encoding = Encoding.GetEncoding(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>The canonical name for a label, or null when the label carries no information.</summary>
    public static string? Normalize(string? label)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            return null;
        }

        var name = label.Trim().Trim('"', '\'').Trim();
        if (name.Length == 0 || NoInformation.Contains(name))
        {
            return null;
        }

        if (Aliases.TryGetValue(name, out var canonical))
        {
            return canonical;
        }

        // cp1251, win-1251, x-cp1251, windows1251 → windows-1251.
        foreach (var prefix in (string[])["x-cp", "cp", "win-", "windows", "win"])
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var digits = name[prefix.Length..].TrimStart('-', '_');
                if (digits.Length == 4 && digits.StartsWith("125", StringComparison.Ordinal) && char.IsAsciiDigit(digits[3]))
                {
                    return "windows-" + digits;
                }
            }
        }

        return name;
    }
}
