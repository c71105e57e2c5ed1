## Helpers shared by the *_peers.R generator scripts (sourced; tests never use them).
suppressMessages(library(jsonlite))

## Evaluate `expr` (an unevaluated call) once, and twice more when it took under a minute of wall time
## and under `max_cpu` seconds of CPU (on a loaded machine the wall time alone would repeat slow fits).
## Returns the value of the last run, the wall times in seconds (median = reported time) and the CPU
## times (user + system) of each run: the machine is shared, so CPU time is the steadier number.
timed <- function(expr, env = parent.frame(), max_single = 60, max_cpu = 10) {
  e <- substitute(expr)
  times <- cpu <- numeric(0)
  repeat {
    t0 <- proc.time()
    val <- eval(e, env)
    dt <- proc.time() - t0
    times <- c(times, dt[["elapsed"]])
    cpu <- c(cpu, dt[["user.self"]] + dt[["sys.self"]])
    if (length(times) >= 3 || times[1] >= max_single || cpu[1] >= max_cpu) break
  }
  list(value = val, times = times, median = median(times), cpu = cpu, cpu_median = median(cpu))
}

pkg_version <- function(p) as.character(packageVersion(p))

emit <- function(x) cat(toJSON(x, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"))

## Write one fit's results to $PEER_PARTS/<name>.json (default /tmp/refs/parts) as soon as it is done,
## so that a long generator run keeps what it has finished.
emit_part <- function(name, x) {
  dir <- Sys.getenv("PEER_PARTS", "/tmp/refs/parts")
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  writeLines(toJSON(x, auto_unbox = TRUE, digits = NA, null = "null"), file.path(dir, paste0(name, ".json")))
}
