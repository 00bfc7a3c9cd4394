{
  "targets": [
    {
      "target_name": "svd_spawn",
      "sources": ["svd_spawn.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "ldflags": ["-Wl,-z,now"]
    }
  ]
}
