namespace SlaWatch.Integration.Tests.Fixtures;

/// <summary>Paths in the repository the tests run from.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding SlaWatch.sln, found by walking up from the test binaries.</summary>
    public static string Root => RootPath.Value;

    /// <summary>The entry script of the test servers (ops/lib/test-servers.sh).</summary>
    public static string TestServersScript => Path.Combine(Root, "ops", "lib", "test-servers.sh");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SlaWatch.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No SlaWatch.sln above {AppContext.BaseDirectory}: the integration tests run from a build inside the repository.");
    }
}
