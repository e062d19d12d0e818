package io.paxlog.bench;

/**
 * {@code ops/bench SUITE [options]}: Paxlog's benchmark programs. Suites: {@code reads} (linearizable lease reads
 * against writes on one cluster, {@link ReadLatencyBench}) and {@code replay} (journal replay rate on restart,
 * {@link ReplayRateBench}). Exit codes: 0 ran and met its stated target, 1 ran
 * and missed it (or the cluster failed), 2 usage error.
 */
public final class BenchMain
{
    static final String USAGE = String.join("\n",
        "usage: ops/bench reads [--seconds S] [--sync none|batch]",
        "       ops/bench replay [--entries N]",
        "       ops/bench jmh [JMH options, e.g. CoreStep -f 1 -wi 2 -i 3]",
        "       ops/bench baseline [--rate N] [--seconds S] [--bytes B] [--targets aeron-floor-1,aeron-floor-2,aeron-cluster,paxlog]",
        "                          [--topology in-process|processes] [--cpus LIST]",
        "  reads   write p50 vs linearizable lease-read p50 on a local 3-process cluster (target: read <= write/2)",
        "  replay  journal replay rate on restart (entries/s)",
        "  jmh     JMH micro-benchmarks: codec encode/decode, journal append, one core step",
        "  baseline  open-loop write RTT of Paxlog, Aeron Cluster and the raw-Aeron floors in one run (in-process, or",
        "            each node its own JVM with --topology processes; --cpus pins those JVMs with taskset -c)");

    private BenchMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h"))
        {
            System.out.println(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        final String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        switch (args[0])
        {
            case "reads" -> System.exit(ReadLatencyBench.main(rest));
            case "replay" -> System.exit(ReplayRateBench.main(rest));
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "baseline" -> System.exit(BaselineMain.run(rest));
            default ->
            {
                System.err.println("ops/bench: unknown suite '" + args[0] + "'\n" + USAGE);
                System.exit(2);
            }
        }
    }
}
