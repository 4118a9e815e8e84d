using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SlaWatch.Infrastructure.Languages;

namespace SlaWatch.Infrastructure.Messages;

public static class MessagesServiceCollectionExtensions
{
    /// <summary>
    /// Language detection, the message templates and their start-up check, each a singleton: one Lingua detector and one set
    /// of parsed templates for the process. <see cref="Configuration.MessagesOptions"/> is bound by the host; a
    /// <see cref="TimeProvider"/> must be registered (the Infrastructure registers <see cref="TimeProvider.System"/>).
    /// </summary>
    public static IServiceCollection AddSlaWatchMessages(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ILanguageDetector, LinguaLanguageDetector>();
        services.TryAddSingleton<FluidMessageTemplates>();
        services.TryAddSingleton<IMessageTemplates>(provider => provider.GetRequiredService<FluidMessageTemplates>());
        services.TryAddSingleton<TemplateCatalogValidator>();
        services.TryAddSingleton<Security.SignedTokens>();
        services.TryAddSingleton<StatusLinks>();
        services.TryAddSingleton<CustomerUpdates>();
        return services;
    }
}
