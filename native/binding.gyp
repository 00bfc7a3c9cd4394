{
  "targets": [
    {
      "target_name": "svd_spawn",
      "sources": ["svd_spawn.c", "svd_output.c", "svd_reaper.c", "svd_logwrite.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      # now: no lazy symbol lookup in a child between its clone and its exec. nodelete: the reaper's thread runs
      # the addon's code for the process's life, and a worker that alone loaded it would unload it as it ends.
      "ldflags": ["-Wl,-z,now", "-Wl,-z,nodelete"]
    }
  ]
}
