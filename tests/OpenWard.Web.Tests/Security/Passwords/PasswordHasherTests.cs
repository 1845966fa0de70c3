using OpenWard.Web.Security.Passwords;

namespace OpenWard.Web.Tests.Security.Passwords;

public class PasswordHasherTests
{
    private const string Password = "correct horse battery staple";

    // Cheap parameters so the tests stay fast; only the first test pays for OWASP's.
    private static readonly PasswordHasher Cheap = new(new Argon2Parameters(MemoryKiB: 64, Iterations: 1, Parallelism: 1));

    [Fact]
    public void A_hash_with_the_default_parameters_verifies_and_records_them()
    {
        var hasher = new PasswordHasher();

        var phc = hasher.Hash(Password);

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", phc, StringComparison.Ordinal);
        Assert.Equal(PasswordCheck.Valid, hasher.Verify(Password, phc));
    }

    [Fact]
    public void The_salt_is_16_bytes_and_the_hash_32_in_unpadded_base64()
    {
        var fields = Cheap.Hash(Password).Split('$');

        Assert.Equal(16, Convert.FromBase64String(fields[4] + "==").Length);
        Assert.Equal(32, Convert.FromBase64String(fields[5] + "=").Length);
        Assert.DoesNotContain('=', fields[4] + fields[5]);
    }

    [Fact]
    public void A_wrong_password_is_invalid()
    {
        var phc = Cheap.Hash(Password);

        Assert.Equal(PasswordCheck.Invalid, Cheap.Verify("correct horse battery stapler", phc));
        Assert.Equal(PasswordCheck.Invalid, Cheap.Verify("", phc));
    }

    [Fact]
    public void Two_hashes_of_one_password_differ_because_of_the_salt()
    {
        var first = Cheap.Hash(Password);
        var second = Cheap.Hash(Password);

        Assert.NotEqual(first, second);
        Assert.Equal(PasswordCheck.Valid, Cheap.Verify(Password, first));
        Assert.Equal(PasswordCheck.Valid, Cheap.Verify(Password, second));
    }

    [Fact]
    public void A_tampered_hash_is_invalid()
    {
        var phc = Cheap.Hash(Password);
        var hashStart = phc.LastIndexOf('$') + 1;
        var tamperedHash = phc[..hashStart] + (phc[hashStart] == 'A' ? 'B' : 'A') + phc[(hashStart + 1)..];
        var saltStart = phc.LastIndexOf('$', hashStart - 2) + 1;
        var tamperedSalt = phc[..saltStart] + (phc[saltStart] == 'A' ? 'B' : 'A') + phc[(saltStart + 1)..];

        Assert.Equal(PasswordCheck.Invalid, Cheap.Verify(Password, tamperedHash));
        Assert.Equal(PasswordCheck.Invalid, Cheap.Verify(Password, tamperedSalt));
    }

    [Fact]
    public void Changed_parameters_make_the_hash_invalid()
    {
        var phc = Cheap.Hash(Password);

        Assert.Equal(PasswordCheck.Invalid, Cheap.Verify(Password, phc.Replace("t=1", "t=2", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a hash")]
    [InlineData("$argon2id$")]
    [InlineData("$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")] // Argon2i
    [InlineData("$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")] // Argon2 1.0
    [InlineData("$argon2id$v=19$m=64,t=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")] // no p
    [InlineData("$argon2id$v=19$t=1,m=64,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")] // order
    [InlineData("$argon2id$v=19$m=0,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=-64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")] // 4 GiB
    [InlineData("$argon2id$v=19$m=64,t=1000,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")] // no salt
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$")] // no hash
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")] // padded
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c2Fsd HNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")] // space
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g$")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$!!!!$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    public void Malformed_strings_are_invalid_without_throwing(string phc)
    {
        Assert.False(PasswordHasher.TryParse(phc, out _, out _, out _));
        Assert.Equal(PasswordCheck.Invalid, Cheap.Verify(Password, phc));
    }

    [Fact]
    public void A_well_formed_string_parses_into_its_parts()
    {
        const string phc = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

        Assert.True(PasswordHasher.TryParse(phc, out var cost, out var salt, out var hash));
        Assert.Equal(new Argon2Parameters(64, 1, 1), cost);
        Assert.Equal("saltsaltsaltsalt"u8.ToArray(), salt);
        Assert.Equal("hashhashhashhashhashhashhashhash"u8.ToArray(), hash);
    }

    [Fact]
    public void A_null_hash_or_password_is_invalid()
    {
        Assert.Equal(PasswordCheck.Invalid, Cheap.Verify(Password, null!));
        Assert.Equal(PasswordCheck.Invalid, Cheap.Verify(null!, Cheap.Hash(Password)));
    }

    [Fact]
    public void An_empty_password_cannot_be_hashed()
    {
        Assert.Throws<ArgumentException>(() => Cheap.Hash(""));
    }

    [Fact]
    public void A_hash_made_with_weaker_parameters_verifies_but_needs_rehashing()
    {
        var weak = Cheap.Hash(Password);
        var current = new PasswordHasher(new Argon2Parameters(MemoryKiB: 128, Iterations: 2, Parallelism: 1));

        Assert.Equal(PasswordCheck.ValidNeedsRehash, current.Verify(Password, weak));
        Assert.Equal(PasswordCheck.Invalid, current.Verify("wrong password entirely", weak));
    }

    [Fact]
    public void A_hash_made_with_stronger_parameters_needs_no_rehashing()
    {
        var strong = new PasswordHasher(new Argon2Parameters(MemoryKiB: 128, Iterations: 2, Parallelism: 1)).Hash(Password);

        Assert.Equal(PasswordCheck.Valid, Cheap.Verify(Password, strong));
    }

    [Fact]
    public void Differently_composed_unicode_forms_of_one_password_match()
    {
        var composed = "caf\u00e9 au lait sans sucre";
        var decomposed = "cafe\u0301 au lait sans sucre";

        Assert.Equal(PasswordCheck.Valid, Cheap.Verify(decomposed, Cheap.Hash(composed)));
    }
}
