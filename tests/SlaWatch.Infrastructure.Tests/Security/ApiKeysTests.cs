using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Infrastructure.Tests.Security;

public sealed class ApiKeysTests
{
    [Fact]
    public void Generate_TwoCalls_DifferentUrlSafeKeysOf256Bits()
    {
        var first = ApiKeys.Generate();
        var second = ApiKeys.Generate();

        Assert.NotEqual(first, second);
        Assert.StartsWith("sw_", first, StringComparison.Ordinal);
        Assert.Equal(3 + 43, first.Length);
        Assert.Matches("^sw_[A-Za-z0-9_-]{43}$", first);
    }

    [Fact]
    public void Hash_KnownKey_IsSha256OfTheKeyInLowerHex()
    {
        // echo -n 'sw_test' | sha256sum
        var hash = ApiKeys.Hash("sw_test");

        Assert.Equal("sha256:99d84b3fd2e2ac97ae68c4baa84a7027d826ef62751ccca097ecf69e691d5b28", hash);
    }

    [Fact]
    public void Verify_KeyAgainstItsHash_True()
    {
        var key = ApiKeys.Generate();

        Assert.True(ApiKeys.Verify(key, ApiKeys.Hash(key)));
    }

    [Fact]
    public void Verify_UpperCaseHexHash_True()
    {
        var key = ApiKeys.Generate();
        var hash = "sha256:" + ApiKeys.Hash(key)["sha256:".Length..].ToUpperInvariant();

        Assert.True(ApiKeys.Verify(key, hash));
    }

    [Theory]
    [InlineData("sw_other")]
    [InlineData("")]
    [InlineData("SW_TEST")]
    public void Verify_OtherKey_False(string presented)
    {
        Assert.False(ApiKeys.Verify(presented, ApiKeys.Hash("sw_test")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256:abc")]
    [InlineData("sha1:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:000000000000000000000000000000000000000000000000000000000000000g")]
    [InlineData("sha256:00000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sw_dGhpcyBpcyB0aGUga2V5IGl0c2VsZiwgbm90IGEgaGFzaA")]
    public void IsWellFormedHash_Malformed_False(string? hash)
    {
        Assert.False(ApiKeys.IsWellFormedHash(hash));
        Assert.False(ApiKeys.Verify("sw_test", hash));
    }

    [Fact]
    public void Find_SecondOfThreeKeys_ReturnsIt()
    {
        var key = ApiKeys.Generate();
        List<ApiKeyOptions> keys =
        [
            new() { Name = "alice", Role = "agent", Hash = ApiKeys.Hash(ApiKeys.Generate()) },
            new() { Name = "bob", Role = "supervisor", Hash = ApiKeys.Hash(key) },
            new() { Name = "ops", Role = "ops", Hash = "not a hash" },
        ];

        var found = ApiKeys.Find(keys, key);

        Assert.Equal("bob", found?.Name);
    }

    [Fact]
    public void Find_UnknownKey_Null()
    {
        List<ApiKeyOptions> keys = [new() { Name = "alice", Role = "agent", Hash = ApiKeys.Hash(ApiKeys.Generate()) }];

        Assert.Null(ApiKeys.Find(keys, ApiKeys.Generate()));
    }
}
