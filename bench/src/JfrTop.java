import jdk.jfr.consumer.*;
import java.nio.file.*;
import java.util.*;
/** Summarises a JFR recording for bench/make-call-profile.sh: java JfrTop.java file.jfr [filter]: the top methods and packages by own samples, and methods by inclusive samples (filtered). */
public class JfrTop {
    public static void main(String[] a) throws Exception {
        Map<String, Integer> self = new HashMap<>(), pkg = new HashMap<>(), incl = new HashMap<>();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(a[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) continue;
            total++;
            RecordedFrame top = st.getFrames().get(0);
            String m = top.getMethod().getType().getName() + "." + top.getMethod().getName();
            self.merge(m, 1, Integer::sum);
            String t = top.getMethod().getType().getName();
            String p = t.contains(".") ? t.substring(0, t.lastIndexOf('.')) : t;
            String[] parts = p.split("\\.");
            p = String.join(".", Arrays.copyOf(parts, Math.min(3, parts.length)));
            pkg.merge(p, 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : st.getFrames()) {
                String mm = f.getMethod().getType().getName() + "." + f.getMethod().getName();
                if (seen.add(mm)) incl.merge(mm, 1, Integer::sum);
            }
        }
        System.out.println("samples " + total);
        print("SELF", self, total, 30);
        print("SELF PKG", pkg, total, 25);
        Map<String, Integer> f = new HashMap<>();
        String filter = a.length > 1 ? a[1] : "dev.voicegate";
        incl.forEach((k, v) -> { if (k.contains(filter) || k.contains("smallrye.faulttolerance") || k.contains("micrometer") || k.contains("jackson") || k.contains("mutiny")) f.put(k, v); });
        print("INCLUSIVE (filtered)", f, total, 60);
    }
    static void print(String title, Map<String, Integer> m, int total, int n) {
        System.out.println("== " + title);
        m.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(n)
            .forEach(en -> System.out.printf("%5.1f%% %s%n", 100.0 * en.getValue() / total, en.getKey()));
    }
}
