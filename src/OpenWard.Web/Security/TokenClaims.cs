namespace OpenWard.Web.Security;

/// <summary>The claims OpenWard puts in its access tokens and session cookies, in one place.</summary>
public static class TokenClaims
{
    /// <summary>The staff user name, the system client id, or the Patient id.</summary>
    public const string Subject = "sub";

    public const string ClientId = "client_id";

    public const string Scope = "scope";

    /// <summary>SMART launch context: the Patient id a patient/ scope is confined to.</summary>
    public const string Patient = "patient";

    /// <summary>
    /// Present (value <c>true</c>) when the token is confined to its <see cref="Patient"/>: it then
    /// reaches that patient's record and directory data only, whatever its other scopes. Decided at
    /// issuance: a token granted any patient/ scope is confined.
    /// </summary>
    public const string Confined = "openward_confined";

    /// <summary>Whose token this is: <see cref="StaffKind"/>, <see cref="SystemKind"/> or <see cref="PatientKind"/>.</summary>
    public const string Kind = "openward_kind";

    public const string StaffKind = "staff";
    public const string SystemKind = "system";
    public const string PatientKind = "patient";
}
