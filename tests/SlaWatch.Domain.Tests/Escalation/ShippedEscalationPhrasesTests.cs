using System.Text;
using SlaWatch.Domain.Escalation;

namespace SlaWatch.Domain.Tests.Escalation;

/// <summary>The lists shipped in templates/escalation, checked with real phrasings from customers in each language.</summary>
public sealed class ShippedEscalationPhrasesTests
{
    private static readonly string[] Languages = ["en", "ru", "nl", "tl", "zh", "lt"];

    private static readonly string TemplateFolder = FindTemplateFolder();

    private static readonly ContentEscalationRules All = ContentEscalationRules.Combine(Languages.Select(Load));

    private static ContentEscalationRules Load(string language) =>
        ContentEscalationRules.Parse(language, File.ReadAllText(Path.Combine(TemplateFolder, "escalation", language + ".txt"), Encoding.UTF8));

    private static string FindTemplateFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "templates");
            if (Directory.Exists(Path.Combine(candidate, "escalation")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("templates/escalation not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void AnchorAutomaton_ForAllShippedLists_KeepsItsTransitionTableSmall()
    {
        // The table is states × distinct anchor characters; a worker holds one. Tens of MB would mean a list grew wrongly.
        Assert.InRange(All.Anchors.TransitionTableBytes, 1, 8L * 1024 * 1024);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("nl")]
    [InlineData("tl")]
    [InlineData("zh")]
    [InlineData("lt")]
    public void Parse_ShippedList_HasTenToThirtyPhrasesPerSection(string language)
    {
        var rules = Load(language);

        Assert.All(Enum.GetValues<ContentFlag>(), flag => Assert.InRange(rules.CountOf(flag), 10, 30));
    }

    [Theory]
    [InlineData("en", "I want to speak to a manager right now.")]
    [InlineData("en", "Get me your supervisor. I am done with this.")]
    [InlineData("en", "Please escalate this complaint, it has been three weeks.")]
    [InlineData("en", "Can a manager call me back today?")]
    [InlineData("ru", "Позовите руководителя!")]
    [InlineData("ru", "Соедините меня с вашим начальником.")]
    [InlineData("ru", "Хочу поговорить с руководством, вы третий раз переносите доставку.")]
    [InlineData("ru", "Дайте мне старшего менеджера")]
    [InlineData("nl", "Ik wil nu een leidinggevende spreken.")]
    [InlineData("nl", "Kunt u mij doorverbinden met uw manager?")]
    [InlineData("nl", "Ik wil graag met de directie praten over deze gang van zaken.")]
    [InlineData("tl", "Gusto kong makausap ang manager ninyo.")]
    [InlineData("tl", "Pakausap po sa supervisor, hindi na po ito katanggap-tanggap.")]
    [InlineData("tl", "Nasaan ang manager niyo?")]
    [InlineData("tl", "Paki-escalate po ito sa inyong management.")]
    [InlineData("zh", "叫你们经理出来！")]
    [InlineData("zh", "我要找你们领导，这事你处理不了。")]
    [InlineData("zh", "请让你们负责人给我回电话。")]
    [InlineData("zh", "找个能做主的人来跟我说。")]
    [InlineData("lt", "Noriu kalbėti su vadovu.")]
    [InlineData("lt", "Pakvieskite vadovą!")]
    [InlineData("lt", "Prašau sujungti... ne, sujunkite mane su vadovybe.")]
    [InlineData("lt", "noriu pasikalbeti su jusu vadovu")]
    public void Detect_RequestForManager_FlagsManagerRequest(string language, string text)
    {
        Assert.Contains(ContentFlag.ManagerRequest, Load(language).Detect(text));
        Assert.Contains(ContentFlag.ManagerRequest, All.Detect(text));
    }

    [Theory]
    [InlineData("en", "You idiots lost my parcel again.")]
    [InlineData("en", "Fuck you and your useless service.")]
    [InlineData("en", "I know where you live.")]
    [InlineData("ru", "Вы идиоты, сколько можно!")]
    [InlineData("ru", "Идите к чёрту со своей доставкой.")]
    [InlineData("ru", "Я вас найду.")]
    [InlineData("nl", "Stelletje oplichters!")]
    [InlineData("nl", "Krijg de tering met jullie service.")]
    [InlineData("nl", "Ik weet waar jullie zitten.")]
    [InlineData("tl", "Putang ina nyo, ang bagal ninyo!")]
    [InlineData("tl", "Mga gago kayo.")]
    [InlineData("tl", "Humanda kayo sa akin.")]
    [InlineData("zh", "你们这群废物！")]
    [InlineData("zh", "他妈的到底什么时候发货？")]
    [InlineData("zh", "你给我等着。")]
    [InlineData("lt", "Jūs idiotai!")]
    [InlineData("lt", "Eikite velniop su savo pristatymu.")]
    [InlineData("lt", "Jūs dar pasigailėsite.")]
    public void Detect_AbusiveText_FlagsAbuse(string language, string text)
    {
        Assert.Contains(ContentFlag.Abuse, Load(language).Detect(text));
    }

    [Theory]
    [InlineData("en", "I will be contacting my lawyer.")]
    [InlineData("en", "See you in court.")]
    [InlineData("en", "I have reported you to Trading Standards.")]
    [InlineData("en", "I'm going to sue.")]
    [InlineData("ru", "Я подам в суд.")]
    [InlineData("ru", "Напишу жалобу в Роспотребнадзор.")]
    [InlineData("ru", "Мой юрист свяжется с вами.")]
    [InlineData("nl", "Ik stap naar de rechter.")]
    [InlineData("nl", "Mijn advocaat neemt contact met u op.")]
    [InlineData("nl", "Ik leg het voor aan de Geschillencommissie.")]
    [InlineData("tl", "Idedemanda ko kayo!")]
    [InlineData("tl", "Magkita tayo sa korte.")]
    [InlineData("tl", "Ipapa-Tulfo ko kayo.")]
    [InlineData("zh", "我要起诉你们。")]
    [InlineData("zh", "我会打12315投诉。")]
    [InlineData("zh", "我已经找了律师。")]
    [InlineData("lt", "Paduosiu jus į teismą.")]
    [InlineData("lt", "Kreipsiuosi į VVTAT.")]
    [InlineData("lt", "Mano advokatas su jumis susisieks.")]
    public void Detect_LegalAction_FlagsLegalThreat(string language, string text)
    {
        Assert.Contains(ContentFlag.LegalThreat, Load(language).Detect(text));
    }

    [Theory]
    [InlineData("I am disappointed with the manager's delivery estimate. I spoke to customer service twice and nobody could tell me where my parcel is. Please let me know when it will arrive.")]
    [InlineData("Your store manager promised a refund last week and I still have not received it. The order number is 4123159.")]
    [InlineData("Здравствуйте! Менеджер обещал перезвонить, но так и не перезвонил. Судя по всему, посылка потерялась. Прошу разобраться.")]
    [InlineData("Goedemiddag, de bezorger heeft mijn pakket bij de buren afgeleverd en nu is het zoek. Uw collega zei dat de manager het zou regelen. Ik heb spijt van mijn aankoop.")]
    [InlineData("Magandang araw po. Hanggang ngayon po ay hindi pa dumarating ang order ko. Sabi po ng manager ninyo sa branch ay darating ito noong Lunes. Sira po ang leche flan. Nakatira po ako sa Barangay San Isidro.")]
    [InlineData("你好，我上周买的冰箱到现在还没送到，你们的经理说三天内送到。烟雾报警器也坏了，手机过去死机了好几次。有骗子冒充你们的客服给我打电话。")]
    [InlineData("给您带来不便，我们深表歉意。")]
    [InlineData("Laba diena, užsakymas vis dar nepristatytas, nors vadybininkas žadėjo, kad prekė atkeliaus per tris dienas. Situacija sudėtinga, prašau padėti.")]
    public void Detect_NormalComplaint_NotFlagged(string text)
    {
        Assert.Empty(All.Match(text));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("nl")]
    [InlineData("tl")]
    [InlineData("zh")]
    [InlineData("lt")]
    public void Detect_OurOwnAcknowledgementQuotedBack_NotFlagged(string language)
    {
        // Customers reply above our holding apology; quoting it must not escalate their complaint.
        var body = File.ReadAllText(Path.Combine(TemplateFolder, language, "acknowledgement.body.liquid"), Encoding.UTF8);

        Assert.Empty(All.Match(body));
    }
}
