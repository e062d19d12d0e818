package io.paxlog.bench.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The rows of one benchmark run and the files made from them in the results folder: one {@code .hgrm} per latency
 * row (HdrHistogram's percentile format, microseconds), {@code summary.csv}, {@code summary.md}, and the
 * headline ratios of {@link #summaryLine()}. Not thread-safe: the runner adds rows from its one thread.
 */
public final class Results
{
    /** The reference point of the headline write ratios: 10,000 msg/s of 32-byte messages. */
    public static final long HEADLINE_RATE = 10_000;
    public static final int HEADLINE_BYTES = 32;
    /** The p99 a throughput point must stay under to be sustained, unless the run says otherwise: 10 ms. */
    public static final long DEFAULT_THROUGHPUT_P99_LIMIT_US = 10_000;

    private final List<ResultRow> rows = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final PrintStream console;
    private final long throughputP99LimitUs;

    /** Results that echo each row and failure to {@link System#out} as they come. */
    public Results()
    {
        this(System.out);
    }

    /** @param console where each row and failure is echoed as it comes, or {@code null} for nowhere */
    public Results(final PrintStream console)
    {
        this(console, DEFAULT_THROUGHPUT_P99_LIMIT_US);
    }

    /**
     * @param console              where each row and failure is echoed as it comes, or {@code null} for nowhere
     * @param throughputP99LimitUs the p99 under which a throughput point is sustained ({@link Throughput})
     */
    public Results(final PrintStream console, final long throughputP99LimitUs)
    {
        this.console = console;
        this.throughputP99LimitUs = throughputP99LimitUs;
    }

    public void add(final ResultRow row)
    {
        rows.add(row);
        if (console != null)
        {
            console.println(row.consoleLine());
        }
    }

    /** Records something that makes the run fail (loss in a fixed-rate run, a system that did not start). */
    public void fail(final String what)
    {
        failures.add(what);
        if (console != null)
        {
            console.println("FAILED: " + what);
        }
    }

    public List<ResultRow> rows()
    {
        return List.copyOf(rows);
    }

    public List<String> failures()
    {
        return List.copyOf(failures);
    }

    public Optional<ResultRow> find(final Predicate<ResultRow> which)
    {
        return rows.stream().filter(which).findFirst();
    }

    /** The write rows of {@code system} at a point, one per repeat (one row when the point ran once). */
    private List<ResultRow> writes(final String system, final long rate, final int bytes)
    {
        return rows.stream().filter(r -> r.scenario().equals("write") && r.system().equals(system) &&
            r.rate() == rate && r.bytes() == bytes && r.received() > 0).toList();
    }

    /** Median, min and max of values measured in several runs. */
    record Spread(double median, double min, double max)
    {
        static Optional<Spread> of(final List<Double> values)
        {
            final List<Double> v = values.stream().filter(d -> !d.isNaN()).sorted().toList();
            if (v.isEmpty())
            {
                return Optional.empty();
            }
            final int n = v.size();
            final double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
            return Optional.of(new Spread(median, v.get(0), v.get(n - 1)));
        }

        String text(final String format)
        {
            return String.format(Locale.ROOT, format, median) + (min == max ? "" :
                " [" + String.format(Locale.ROOT, format, min) + "-" + String.format(Locale.ROOT, format, max) + "]");
        }
    }

    /**
     * {@code a}'s percentile over {@code b}'s at one write point, one ratio per repeat (runs paired by their repeat
     * number: interleaved, so each pair ran under the same conditions): their median and min-max.
     */
    Optional<Spread> ratioSpread(final String a, final String b, final long rate, final int bytes,
        final double percentile)
    {
        final List<ResultRow> as = writes(a, rate, bytes);
        final List<ResultRow> bs = writes(b, rate, bytes);
        final List<Double> ratios = new ArrayList<>();
        for (final ResultRow x : as)
        {
            for (final ResultRow y : bs)
            {
                if (x.repeat() == y.repeat() && y.us(percentile) > 0)
                {
                    ratios.add(x.us(percentile) / y.us(percentile));
                }
            }
        }
        return Spread.of(ratios);
    }

    /**
     * The rate of the headline write ratios: {@value #HEADLINE_RATE} msg/s when the run wrote at it, otherwise the
     * written rate nearest to it (the lower of two as near), so that a run of {@code --rates 1000} has its ratios
     * at 1,000 msg/s; {@value #HEADLINE_RATE} when nothing was written.
     */
    long headlineRate()
    {
        return rows.stream().filter(r -> r.scenario().equals("write") && r.rate() > 0).map(ResultRow::rate)
            .distinct().min(Comparator.comparingLong((Long r) -> Math.abs(r - HEADLINE_RATE)).thenComparingLong(r -> r))
            .orElse(HEADLINE_RATE);
    }

    private String headlineRatio(final String a, final String b, final double percentile)
    {
        return ratioSpread(a, b, headlineRate(), HEADLINE_BYTES, percentile).map(r -> String.format(Locale.ROOT,
            "%.2f", r.median())).orElse("n/a");
    }

    /**
     * With {@code --repeat}: Paxlog's throughput over Aeron Cluster's at {@code bytes}, one ratio per repeat (each
     * run's own throughput, paired by repeat number), as median and min-max; runs where Aeron Cluster sustained no
     * rate are left out. Empty when the scenario did not run both.
     */
    Optional<Spread> throughputRatioSpread(final int bytes)
    {
        final List<Long> px = Throughput.perRun(throughputPoints("paxlog", bytes), throughputP99LimitUs);
        final List<Long> ac = Throughput.perRun(throughputPoints("aeron-cluster", bytes), throughputP99LimitUs);
        final List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(px.size(), ac.size()); i++)
        {
            if (ac.get(i) > 0)
            {
                ratios.add(px.get(i).doubleValue() / ac.get(i));
            }
        }
        return Spread.of(ratios);
    }

    /**
     * The largest Paxlog / Aeron Cluster p99 ratio over the sizes written at the headline rate: per size the ratio (with
     * {@code --repeat}, the median of the paired runs' ratios), then the largest of them; {@code n/a} when no size
     * has both.
     */
    private String worstP99Ratio()
    {
        final long rate = headlineRate();
        final List<Integer> sizes = rows.stream().filter(r -> r.scenario().equals("write") &&
            r.rate() == rate).map(ResultRow::bytes).distinct().sorted().toList();
        return sizes.stream().map(b -> ratioSpread("paxlog", "aeron-cluster", rate, b, 99))
            .flatMap(Optional::stream).map(Spread::median).max(Double::compare)
            .map(v -> String.format(Locale.ROOT, "%.2f", v)).orElse("n/a");
    }

    /** {@code system}'s throughput points at {@code bytes}, one per offered rate, ascending. */
    List<Throughput.Point> throughputPoints(final String system, final int bytes)
    {
        return Throughput.points(rows, system, bytes, throughputP99LimitUs);
    }

    /** {@code system}'s throughput at {@code bytes} ({@link Throughput}), empty when the scenario did not run it. */
    Optional<Long> throughput(final String system, final int bytes)
    {
        final List<Throughput.Point> points = throughputPoints(system, bytes);
        return points.isEmpty() ? Optional.empty() : Optional.of(Throughput.throughput(points));
    }

    long throughputP99LimitUs()
    {
        return throughputP99LimitUs;
    }

    private Optional<ResultRow> figure(final String scenario, final String system, final String kind)
    {
        return find(r -> r.scenario().equals(scenario) && r.system().equals(system) && r.kind().equals(kind));
    }

    /**
     * {@code summary write_p50_ratio=A write_p99_ratio=B floor_ratio=C lease_read_ratio=D max_rate_ratio=E
     * worst_p99_ratio=W throughput_ratio=T}:
     * A, B = Paxlog / Aeron Cluster write latency at 10k msg/s 32 B (p50, p99; at the written rate nearest 10k when
     * the run did not write at 10k, {@link #headlineRate()}); C = Paxlog write p50 /
     * aeron-floor-2 p50 at the same point; D = Paxlog lease-read p50 / Paxlog write p50 in the reads scenario (the
     * same closed loop, one after the other); E = Paxlog max rate / Aeron Cluster max rate (p99 under 1 ms);
     * W = the largest Paxlog / Aeron Cluster write p99 ratio over the sizes written at that rate; T = Paxlog
     * throughput / Aeron Cluster throughput at 32 B ({@link Throughput}). A ratio whose inputs were not measured in
     * this run is {@code n/a}; one over a zero is {@code inf} (Paxlog sustained a rate Aeron Cluster sustained none
     * of) or {@code n/a} (neither did). With {@code --repeat N} the write ratios A, B, C and W use the medians of the
     * N paired runs, and T is the ratio of the majority-rule throughputs (summary.md gives the min-max of each, T's
     * from each run's own throughput).
     */
    public String summaryLine()
    {
        final Optional<ResultRow> read = figure("reads", "paxlog", "lease-read");
        final Optional<ResultRow> readWrite = figure("reads", "paxlog", "write");
        final Optional<ResultRow> pxMax = figure("max-rate", "paxlog", "max-rate");
        final Optional<ResultRow> acMax = figure("max-rate", "aeron-cluster", "max-rate");
        return "summary" +
            " write_p50_ratio=" + headlineRatio("paxlog", "aeron-cluster", 50) +
            " write_p99_ratio=" + headlineRatio("paxlog", "aeron-cluster", 99) +
            " floor_ratio=" + headlineRatio("paxlog", "aeron-floor-2", 50) +
            " lease_read_ratio=" + ratio(read.map(r -> r.us(50)), readWrite.map(r -> r.us(50))) +
            " max_rate_ratio=" + ratio(pxMax.map(ResultRow::value), acMax.map(ResultRow::value)) +
            " worst_p99_ratio=" + worstP99Ratio() +
            " throughput_ratio=" + ratio(throughput("paxlog", HEADLINE_BYTES).map(Long::doubleValue),
                throughput("aeron-cluster", HEADLINE_BYTES).map(Long::doubleValue));
    }

    static String ratio(final Optional<Double> numerator, final Optional<Double> denominator)
    {
        if (numerator.isEmpty() || denominator.isEmpty() || numerator.get().isNaN() || denominator.get().isNaN())
        {
            return "n/a";
        }
        if (denominator.get() <= 0)
        {
            return numerator.get() > 0 ? "inf" : "n/a"; // e.g. a max rate against a system that sustained none
        }
        return String.format(Locale.ROOT, "%.2f", numerator.get() / denominator.get());
    }

    /** Writes the {@code .hgrm} files, {@code summary.csv} and {@code summary.md} into {@code out}. */
    public void write(final Path out, final String machine, final List<String> plotFiles) throws IOException
    {
        Files.createDirectories(out);
        for (final ResultRow row : rows)
        {
            if (row.isLatency() && row.histogram().getTotalCount() > 0)
            {
                try (PrintStream ps = new PrintStream(Files.newOutputStream(out.resolve(row.key() + ".hgrm")), false,
                    StandardCharsets.UTF_8))
                {
                    row.histogram().outputPercentileDistribution(ps, 1000.0); // values in microseconds
                }
            }
        }
        Files.writeString(out.resolve("summary.csv"), csv());
        Files.writeString(out.resolve("summary.md"), markdown(machine, plotFiles));
    }

    String csv()
    {
        final StringBuilder sb = new StringBuilder(
            "scenario,system,kind,rate_msg_s,bytes,p50_us,p90_us,p99_us,p99_9_us,p99_99_us,max_us,sent,received," +
            "lost,value,unit,note,repeat,not_sent,gc_pauses,gc_total_ms,gc_max_ms\n");
        for (final ResultRow r : rows)
        {
            sb.append(String.join(",", r.scenario(), r.system(), r.kind(), Long.toString(r.rate()),
                Integer.toString(r.bytes()), num(r.us(50)), num(r.us(90)), num(r.us(99)), num(r.us(99.9)),
                num(r.us(99.99)), num(r.maxUs()), r.isLatency() ? Long.toString(r.sent()) : "",
                r.isLatency() ? Long.toString(r.received()) : "", r.isLatency() ? Long.toString(r.lost()) : "",
                num(r.value()), r.unit(), '"' + r.note().replace("\"", "'") + '"', Integer.toString(r.repeat()),
                r.isLatency() ? Long.toString(r.notSent()) : "", r.gc() == null ? "" : Integer.toString(r.gc().count()),
                r.gc() == null ? "" : num(r.gc().totalMs()), r.gc() == null ? "" : num(r.gc().maxMs())))
                .append('\n');
        }
        return sb.toString();
    }

    private static String num(final double v)
    {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
    }

    String markdown(final String machine, final List<String> plotFiles)
    {
        final StringBuilder sb = new StringBuilder("# Paxlog benchmark results\n\n");
        sb.append("```\n").append(summaryLine()).append("\n```\n\n");
        if (headlineRate() != HEADLINE_RATE)
        {
            sb.append(String.format(Locale.ROOT, "The write ratios of the summary line are at %d msg/s, the written " +
                "rate nearest %d.%n%n", headlineRate(), HEADLINE_RATE));
        }
        if (!failures.isEmpty())
        {
            sb.append("**Run failed:**\n\n");
            failures.forEach(f -> sb.append("- ").append(f).append('\n'));
            sb.append('\n');
        }
        repeats(sb);
        final Map<String, List<ResultRow>> byScenario = new LinkedHashMap<>();
        rows.forEach(r -> byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r));
        for (final Map.Entry<String, List<ResultRow>> e : byScenario.entrySet())
        {
            if (e.getKey().equals(Throughput.SCENARIO))
            {
                throughputTables(sb);
                sb.append("### throughput, every run\n\n");
            }
            else
            {
                sb.append("## ").append(e.getKey()).append("\n\n");
            }
            final List<ResultRow> latency = e.getValue().stream().filter(ResultRow::isLatency).toList();
            final List<ResultRow> figures = e.getValue().stream().filter(r -> !r.isLatency()).toList();
            if (!latency.isEmpty())
            {
                final boolean ms = e.getKey().equals("failover");
                final String u = ms ? "ms" : "µs";
                sb.append("| system | kind | rate msg/s | bytes | p50 ").append(u).append(" | p90 | p99 | p99.9 | " +
                    "p99.99 | max | sent | lost | note |\n");
                sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
                for (final ResultRow r : latency)
                {
                    final double d = ms ? 1000.0 : 1.0;
                    sb.append(String.format(Locale.ROOT,
                        "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %s |%n", r.system(), r.kind(),
                        r.rate() == 0 ? "" : Long.toString(r.rate()), r.bytes() == 0 ? "" : Integer.toString(r.bytes()),
                        md(r.us(50) / d), md(r.us(90) / d), md(r.us(99) / d), md(r.us(99.9) / d),
                        md(r.us(99.99) / d), md(r.maxUs() / d), r.sent(), r.lost(), r.note()));
                }
                sb.append('\n');
            }
            if (!figures.isEmpty())
            {
                sb.append("| system | figure | value | unit | note |\n|---|---|---:|---|---|\n");
                for (final ResultRow r : figures)
                {
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", r.system(), r.kind(),
                        md(r.value()), r.unit(), r.note()));
                }
                sb.append('\n');
            }
        }
        if (!plotFiles.isEmpty())
        {
            sb.append("## Plots\n\n");
            plotFiles.forEach(p -> sb.append("![").append(p).append("](").append(p).append(")\n\n"));
        }
        sb.append("## Machine\n\n```\n").append(machine).append("```\n");
        return sb.toString();
    }

    /** With {@code --repeat}: each write point's percentiles and ratios as medians with their min-max. */
    private void repeats(final StringBuilder sb)
    {
        final List<ResultRow> repeated = rows.stream().filter(r -> r.scenario().equals("write") && r.repeat() > 0)
            .toList();
        if (repeated.isEmpty())
        {
            return;
        }
        final int n = repeated.stream().mapToInt(ResultRow::repeat).max().orElse(0);
        sb.append("## write, ").append(n).append(" interleaved runs: median [min-max]\n\n");
        sb.append("| system | rate msg/s | bytes | runs | p50 µs | p99 µs | p99.9 µs |\n|---|---:|---:|---:|---|---|---|\n");
        final Map<String, List<ResultRow>> byPoint = new LinkedHashMap<>();
        repeated.forEach(r -> byPoint.computeIfAbsent(r.system() + "|" + r.rate() + "|" + r.bytes(),
            k -> new ArrayList<>()).add(r));
        for (final List<ResultRow> point : byPoint.values())
        {
            final ResultRow first = point.get(0);
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %s | %s | %s |%n", first.system(),
                first.rate(), first.bytes(), point.size(), spread(point, 50), spread(point, 99), spread(point, 99.9)));
        }
        sb.append("\n| point | ratio | median [min-max] |\n|---|---|---|\n");
        for (final List<ResultRow> point : byPoint.values())
        {
            final ResultRow first = point.get(0);
            if (!first.system().equals("paxlog"))
            {
                continue;
            }
            for (final String other : List.of("aeron-cluster", "aeron-floor-2"))
            {
                for (final double percentile : new double[] {50, 99})
                {
                    ratioSpread("paxlog", other, first.rate(), first.bytes(), percentile).ifPresent(r ->
                        sb.append(String.format(Locale.ROOT, "| %d msg/s %d B | paxlog / %s p%s | %s |%n",
                            first.rate(), first.bytes(), other, percentile == 50 ? "50" : "99", r.text("%.2f"))));
                }
            }
        }
        sb.append('\n');
    }

    /**
     * The throughput scenario: each system's throughput per size (with {@code --repeat}, also each run's own), then
     * every point with its percentiles (medians [min-max] over the runs), counts (summed over the runs) and GC.
     */
    private void throughputTables(final StringBuilder sb)
    {
        final List<String> systems = Throughput.systems(rows);
        final List<Integer> sizes = Throughput.sizes(rows);
        final boolean repeated = rows.stream().anyMatch(r -> r.scenario().equals(Throughput.SCENARIO) &&
            r.repeat() > 0);
        sb.append(String.format(Locale.ROOT, "## throughput: the highest offered rate sustained (everything sent " +
            "and answered, none lost, p99 < %s µs)%n%n", md(throughputP99LimitUs)));
        sb.append("| system | bytes | throughput msg/s |").append(repeated ? " each run's own msg/s |" : "")
            .append("\n|---|---:|---:|").append(repeated ? "---|" : "").append('\n');
        for (final int bytes : sizes)
        {
            for (final String system : systems)
            {
                final List<Throughput.Point> points = throughputPoints(system, bytes);
                if (points.isEmpty())
                {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "| %s | %d | %d |", system, bytes, Throughput.throughput(points)));
                if (repeated)
                {
                    sb.append(' ').append(String.join(", ", Throughput.perRun(points, throughputP99LimitUs).stream()
                        .map(String::valueOf).toList())).append(" |");
                }
                sb.append('\n');
            }
        }
        if (repeated)
        {
            sb.append("\n| bytes | paxlog / aeron-cluster throughput, each run's own paired by run: median [min-max] " +
                "|\n|---:|---|\n");
            for (final int bytes : sizes)
            {
                throughputRatioSpread(bytes).ifPresent(r -> sb.append(String.format(Locale.ROOT,
                    "| %d | %s |%n", bytes, r.text("%.2f"))));
            }
        }
        sb.append("\n| system | bytes | rate msg/s | sustained | p50 µs | p99 µs | p99.9 µs | sent | answered " +
            "| lost | not sent | GC pauses in the measured window |\n" +
            "|---|---:|---:|---|---|---|---|---:|---:|---:|---:|---|\n");
        for (final int bytes : sizes)
        {
            for (final String system : systems)
            {
                for (final Throughput.Point p : throughputPoints(system, bytes))
                {
                    final String sustained = (p.sustained() ? "yes" : "no") + (p.runs().size() > 1 ?
                        " (" + p.sustainedRuns() + "/" + p.runs().size() + " runs)" : "");
                    sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s | %d | %d | %d | %d " +
                        "| %s |%n", system, bytes, p.rateMsgPerSec(), sustained, spreadText(p.us(50)),
                        spreadText(p.us(99)), spreadText(p.us(99.9)), p.sent(), p.answered(), p.lost(), p.notSent(),
                        p.gc().map(GcPauses::text).orElse("")));
                }
            }
        }
        sb.append(repeated ? "\nPercentiles: median [min-max] of the runs; counts and GC pauses: summed over the " +
            "runs (longest pause: the longest of any run).\n\n" : "\n");
    }

    private static String spreadText(final Optional<Spread> spread)
    {
        return spread.map(s -> s.text("%.1f")).orElse("");
    }

    private static String spread(final List<ResultRow> runs, final double percentile)
    {
        return Spread.of(runs.stream().map(r -> r.us(percentile)).toList()).map(s -> s.text("%.1f")).orElse("");
    }

    private static String md(final double v)
    {
        if (Double.isNaN(v))
        {
            return "";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
