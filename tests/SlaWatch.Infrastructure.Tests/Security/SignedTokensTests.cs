using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Infrastructure.Tests.Security;

public sealed class SignedTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static SignedTokens Tokens(string signingKey = "a-signing-key-of-enough-length") =>
        new(new MessageSigner(Options.Create(new SlaWatchOptions { SigningKey = signingKey })));

    [Fact]
    public void Validate_FreshToken_ReturnsItsId()
    {
        var tokens = Tokens();
        var token = tokens.Create(SignedTokens.AlertAcknowledge, "42", Now.AddHours(1));

        var result = tokens.Validate(SignedTokens.AlertAcknowledge, token, Now);

        Assert.True(result.IsValid);
        Assert.Equal("42", result.Id);
        Assert.Equal(TokenProblem.None, result.Problem);
    }

    [Fact]
    public void Create_AnyToken_CompactAndUrlSafe()
    {
        var token = Tokens().Create(SignedTokens.AlertAcknowledge, "SW-2026-000123", Now.AddDays(7));

        Assert.Matches(@"^alert-ack\.SW-2026-000123\.\d+\.[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(Uri.EscapeDataString(token), token);
    }

    [Fact]
    public void Validate_AnotherInstanceWithTheSameKey_Accepts()
    {
        var token = Tokens().Create(SignedTokens.AlertAcknowledge, "42", Now.AddHours(1));

        var result = Tokens().Validate(SignedTokens.AlertAcknowledge, token, Now);

        Assert.Equal("42", result.Id);
    }

    [Fact]
    public void Validate_ExpiryPassed_Expired()
    {
        var tokens = Tokens();
        var token = tokens.Create(SignedTokens.AlertAcknowledge, "42", Now.AddHours(1));

        var result = tokens.Validate(SignedTokens.AlertAcknowledge, token, Now.AddHours(1));

        Assert.False(result.IsValid);
        Assert.Null(result.Id);
        Assert.Equal(TokenProblem.Expired, result.Problem);
    }

    [Fact]
    public void Validate_OneSecondBeforeExpiry_Valid()
    {
        var tokens = Tokens();
        var token = tokens.Create(SignedTokens.AlertAcknowledge, "42", Now.AddHours(1));

        Assert.True(tokens.Validate(SignedTokens.AlertAcknowledge, token, Now.AddHours(1).AddSeconds(-1)).IsValid);
    }

    [Fact]
    public void Validate_TokenForAnotherPurpose_WrongPurpose()
    {
        var tokens = Tokens();
        var token = tokens.Create("status", "42", Now.AddHours(1));

        var result = tokens.Validate(SignedTokens.AlertAcknowledge, token, Now);

        Assert.Equal(TokenProblem.WrongPurpose, result.Problem);
        Assert.Null(result.Id);
    }

    [Fact]
    public void Validate_PurposeRewrittenInTheToken_Tampered()
    {
        var tokens = Tokens();
        var token = tokens.Create("status", "42", Now.AddHours(1));

        var result = tokens.Validate(SignedTokens.AlertAcknowledge, "alert-ack" + token["status".Length..], Now);

        Assert.Equal(TokenProblem.Tampered, result.Problem);
    }

    [Fact]
    public void Validate_IdChanged_Tampered()
    {
        var tokens = Tokens();
        var token = tokens.Create(SignedTokens.AlertAcknowledge, "42", Now.AddHours(1));

        var result = tokens.Validate(SignedTokens.AlertAcknowledge, token.Replace(".42.", ".43.", StringComparison.Ordinal), Now);

        Assert.Equal(TokenProblem.Tampered, result.Problem);
    }

    [Fact]
    public void Validate_ExpiryExtended_Tampered()
    {
        var tokens = Tokens();
        var token = tokens.Create(SignedTokens.AlertAcknowledge, "42", Now.AddHours(-1));
        var parts = token.Split('.');
        parts[2] = Now.AddYears(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = tokens.Validate(SignedTokens.AlertAcknowledge, string.Join('.', parts), Now);

        Assert.Equal(TokenProblem.Tampered, result.Problem);
    }

    [Fact]
    public void Validate_SignatureOneCharacterOff_Tampered()
    {
        var tokens = Tokens();
        var token = tokens.Create(SignedTokens.AlertAcknowledge, "42", Now.AddHours(1));
        var last = token[^2] == 'A' ? 'B' : 'A';

        var result = tokens.Validate(SignedTokens.AlertAcknowledge, token[..^2] + last + token[^1], Now);

        Assert.Equal(TokenProblem.Tampered, result.Problem);
    }

    [Fact]
    public void Validate_SignedWithAnotherKey_Tampered()
    {
        var token = Tokens("another-signing-key-entirely").Create(SignedTokens.AlertAcknowledge, "42", Now.AddHours(1));

        var result = Tokens().Validate(SignedTokens.AlertAcknowledge, token, Now);

        Assert.Equal(TokenProblem.Tampered, result.Problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alert-ack.42.1800000000")]
    [InlineData("alert-ack.42.1800000000.short")]
    [InlineData("alert-ack.42.soon.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("alert-ack.4.2.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("alert-ack.42.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void Validate_Malformed_Tampered(string? token)
    {
        Assert.Equal(TokenProblem.Tampered, Tokens().Validate(SignedTokens.AlertAcknowledge, token, Now).Problem);
    }

    [Theory]
    [InlineData("Alert-Ack", "42")]
    [InlineData("alert.ack", "42")]
    [InlineData("alert-ack", "4.2")]
    [InlineData("alert-ack", "4/2")]
    [InlineData("alert-ack", "")]
    public void Create_PurposeOrIdThatCannotBeCarried_Throws(string purpose, string id)
    {
        Assert.Throws<ArgumentException>(() => Tokens().Create(purpose, id, Now));
    }
}
