using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Languages;
using SlaWatch.Infrastructure.Messages;

namespace SlaWatch.Infrastructure.Tests.Messages;

public sealed class MessagesServiceCollectionExtensionsTests
{
    [Fact]
    public void AddSlaWatchMessages_ResolvedTwice_GivesTheSameInstances()
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddOptions<MessagesOptions>();
        services.AddSlaWatchMessages();
        using var provider = services.BuildServiceProvider();

        var detector = provider.GetRequiredService<ILanguageDetector>();
        var templates = provider.GetRequiredService<IMessageTemplates>();

        Assert.Same(detector, provider.GetRequiredService<ILanguageDetector>());
        Assert.Same(templates, provider.GetRequiredService<FluidMessageTemplates>());
        Assert.Same(provider.GetRequiredService<TemplateCatalogValidator>(), provider.GetRequiredService<TemplateCatalogValidator>());
    }
}
