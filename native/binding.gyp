{
  "targets": [
    {
      "target_name": "svd_spawn",
      "sources": ["svd_spawn.c", "svd_output.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "ldflags": ["-Wl,-z,now"]
    }
  ]
}
