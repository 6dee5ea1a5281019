namespace Lb.Config.Model;

public enum ProxyMode { Tcp, Http, Health }

/// <summary>What a section can do; a listen is both a frontend and a backend.</summary>
[Flags]
public enum ProxyCapability { None = 0, Frontend = 1, Backend = 2, Listen = Frontend | Backend }

public enum SectionKind { Global, Defaults, Frontend, Backend, Listen, Peers, Resolvers, Userlist, Other }
