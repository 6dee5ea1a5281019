namespace Lb.Actors.Logging;

/// <summary>haproxy 2.6's built-in formats, compiled by the same code as a user's log-format.</summary>
internal static class DefaultLogFormats
{
    /// <summary>option httplog.</summary>
    public const string Http = "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r";

    /// <summary>option httplog clf.</summary>
    public const string Clf = "%{+Q}o %{-Q}ci - - [%trg] %r %ST %B \"\" \"\" %cp %ms %ft %b %s %TR %Tw %Tc %Tr %Ta %tsc %ac %fc %bc %sc %rc %sq %bq %CC %CS %hrl %hsl";

    /// <summary>option tcplog.</summary>
    public const string Tcp = "%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq";
}
