namespace Lb.Node; public static class Program { public static int Main(string[] args) => 0; }
