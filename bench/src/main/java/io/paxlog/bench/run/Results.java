package io.paxlog.bench.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    private final List<ResultRow> rows = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final PrintStream console;

    /** Results that echo each row and failure to {@link System#out} as they come. */
    public Results()
    {
        this(System.out);
    }

    /** @param console where each row and failure is echoed as it comes, or {@code null} for nowhere */
    public Results(final PrintStream console)
    {
        this.console = console;
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

    private Optional<ResultRow> headlineWrite(final String system)
    {
        return find(r -> r.scenario().equals("write") && r.system().equals(system) && r.rate() == HEADLINE_RATE &&
            r.bytes() == HEADLINE_BYTES && r.received() > 0);
    }

    private Optional<ResultRow> figure(final String scenario, final String system, final String kind)
    {
        return find(r -> r.scenario().equals(scenario) && r.system().equals(system) && r.kind().equals(kind));
    }

    /**
     * {@code summary write_p50_ratio=A write_p99_ratio=B floor_ratio=C lease_read_ratio=D max_rate_ratio=E}:
     * A, B = Paxlog / Aeron Cluster write latency at 10k msg/s 32 B (p50, p99); C = Paxlog write p50 /
     * aeron-floor-2 p50 at the same point; D = Paxlog lease-read p50 / Paxlog write p50 in the reads scenario (the
     * same closed loop, one after the other); E = Paxlog max rate / Aeron Cluster max rate (p99 under 1 ms). A ratio
     * whose inputs were not measured in this run is {@code n/a}; one over a zero is {@code inf} (Paxlog sustained a
     * rate Aeron Cluster sustained none of) or {@code n/a} (neither did).
     */
    public String summaryLine()
    {
        final Optional<ResultRow> px = headlineWrite("paxlog");
        final Optional<ResultRow> ac = headlineWrite("aeron-cluster");
        final Optional<ResultRow> f2 = headlineWrite("aeron-floor-2");
        final Optional<ResultRow> read = figure("reads", "paxlog", "lease-read");
        final Optional<ResultRow> readWrite = figure("reads", "paxlog", "write");
        final Optional<ResultRow> pxMax = figure("max-rate", "paxlog", "max-rate");
        final Optional<ResultRow> acMax = figure("max-rate", "aeron-cluster", "max-rate");
        return "summary" +
            " write_p50_ratio=" + ratio(px.map(r -> r.us(50)), ac.map(r -> r.us(50))) +
            " write_p99_ratio=" + ratio(px.map(r -> r.us(99)), ac.map(r -> r.us(99))) +
            " floor_ratio=" + ratio(px.map(r -> r.us(50)), f2.map(r -> r.us(50))) +
            " lease_read_ratio=" + ratio(read.map(r -> r.us(50)), readWrite.map(r -> r.us(50))) +
            " max_rate_ratio=" + ratio(pxMax.map(ResultRow::value), acMax.map(ResultRow::value));
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
            "lost,value,unit,note\n");
        for (final ResultRow r : rows)
        {
            sb.append(String.join(",", r.scenario(), r.system(), r.kind(), Long.toString(r.rate()),
                Integer.toString(r.bytes()), num(r.us(50)), num(r.us(90)), num(r.us(99)), num(r.us(99.9)),
                num(r.us(99.99)), num(r.maxUs()), r.isLatency() ? Long.toString(r.sent()) : "",
                r.isLatency() ? Long.toString(r.received()) : "", r.isLatency() ? Long.toString(r.lost()) : "",
                num(r.value()), r.unit(), '"' + r.note().replace("\"", "'") + '"')).append('\n');
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
        if (!failures.isEmpty())
        {
            sb.append("**Run failed:**\n\n");
            failures.forEach(f -> sb.append("- ").append(f).append('\n'));
            sb.append('\n');
        }
        final Map<String, List<ResultRow>> byScenario = new LinkedHashMap<>();
        rows.forEach(r -> byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r));
        for (final Map.Entry<String, List<ResultRow>> e : byScenario.entrySet())
        {
            sb.append("## ").append(e.getKey()).append("\n\n");
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

    private static String md(final double v)
    {
        if (Double.isNaN(v))
        {
            return "";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
