namespace SlaWatch.Infrastructure.Tests.Messages;

/// <summary>A throw-away copy of the shipped templates (copied into the test output as <c>templates/</c>) to break on purpose.</summary>
internal sealed class TemplateFolder : IDisposable
{
    public static string Shipped => Path.Combine(AppContext.BaseDirectory, "templates");

    public TemplateFolder()
    {
        Root = Directory.CreateTempSubdirectory("slawatch-templates-").FullName;
        foreach (var file in Directory.EnumerateFiles(Shipped, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Root, Path.GetRelativePath(Shipped, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Root { get; }

    public string FileOf(string language, string name) => Path.Combine(Root, language, name);

    public void Write(string language, string name, string content) => File.WriteAllText(FileOf(language, name), content);

    public void Edit(string language, string name, Func<string, string> change) =>
        Write(language, name, change(File.ReadAllText(FileOf(language, name))));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
