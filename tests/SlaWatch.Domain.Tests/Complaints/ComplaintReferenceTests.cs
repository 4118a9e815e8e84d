using SlaWatch.Domain.Complaints;

namespace SlaWatch.Domain.Tests.Complaints;

public sealed class ComplaintReferenceTests
{
    [Fact]
    public void Format_YearAndNumber_PadsToSixDigits()
    {
        var reference = ComplaintReference.Format(2026, 123);

        Assert.Equal("SW-2026-000123", reference);
    }

    [Fact]
    public void Format_NumberBeyondSixDigits_KeepsAllDigits()
    {
        var reference = ComplaintReference.Format(2026, 1234567);

        Assert.Equal("SW-2026-1234567", reference);
    }

    [Theory]
    [InlineData("Re: [SW-2026-000123] Where is my parcel?", "SW-2026-000123")]
    [InlineData("RE: sw-2026-000042 again", "SW-2026-000042")]
    [InlineData("Ответ: [SW-2025-100000] Заказ", "SW-2025-100000")]
    public void FindAll_SubjectWithReference_FindsIt(string subject, string expected)
    {
        var found = ComplaintReference.FindAll(subject);

        Assert.Equal([expected], found);
    }

    [Theory]
    [InlineData("My order 2026-000123 is late")]
    [InlineData("XSW-2026-000123")]
    [InlineData("SW-26-000123")]
    [InlineData("")]
    [InlineData(null)]
    public void FindAll_NoReference_FindsNothing(string? subject)
    {
        var found = ComplaintReference.FindAll(subject);

        Assert.Empty(found);
    }
}
