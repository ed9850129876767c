// Record.java - the same measurement as record.c with HdrHistogram's Java
// implementation (Debian libhdrhistogram-java), the peer: the same values, passes and
// repetitions into new Histogram(3600000000000L, 3); also its estimated footprint.
import org.HdrHistogram.Histogram;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

public class Record {
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        final int nval = 1 << 20, passes = 16;
        long[] v = new long[nval];
        long s = 0x9e3779b97f4a7c15L;
        for (int i = 0; i < nval; i++) {
            s ^= s << 13; s ^= s >>> 7; s ^= s << 17;
            v[i] = (long) Math.exp((double) (s >>> 11) / 9007199254740992.0 * Math.log(1e9));
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean(); // CPU time, as record.c
        Histogram h = new Histogram(3600000000000L, 3);
        System.out.println("memory_bytes " + h.getEstimatedFootprintInBytes());
        for (int r = 0; r < reps; r++) {
            h.reset();
            long t0 = mx.getCurrentThreadCpuTime();
            for (int p = 0; p < passes; p++)
                for (int i = 0; i < nval; i++) h.recordValue(v[i]);
            long t1 = mx.getCurrentThreadCpuTime();
            System.out.printf(java.util.Locale.ROOT, "ns_per_record %.3f%n", (double) (t1 - t0) / ((double) nval * passes));
        }
        if (h.getTotalCount() != (long) nval * passes) System.exit(1);
    }
}
