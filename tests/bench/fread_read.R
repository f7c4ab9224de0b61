# data.table::fread's side of the CSV reading benchmark (tests/bench/run_read_bench.sh; Debian's
# r-cran-data.table). Usage: Rscript tests/bench/fread_read.R FILE THREADS   -- prints one JSON line.
suppressMessages(library(data.table))
args <- commandArgs(TRUE)
setDTthreads(as.integer(args[2]))
seconds <- system.time(table <- fread(args[1], showProgress = FALSE))[["elapsed"]]
status <- readLines("/proc/self/status")
peak <- as.numeric(sub("[^0-9]*([0-9]+).*", "\\1", status[grepl("^VmHWM", status)])) / 1024
cat(sprintf('{"tool": "fread-%s", "rows": %d, "seconds": %.4f, "mb_per_s": %.1f, "peak_rss_mb": %.1f}\n',
            args[2], nrow(table), seconds, file.size(args[1]) / 1e6 / seconds, peak))
