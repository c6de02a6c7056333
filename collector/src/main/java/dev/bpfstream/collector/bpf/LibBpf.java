package dev.bpfstream.collector.bpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;

/**
 * The libbpf 1.1 calls we use, bound with jnr-ffi to the system's libbpf.so.1. Public only because
 * jnr-ffi generates the implementation in its own class loader, which cannot implement a
 * package-private interface (IllegalAccessError at load); callers use the typed wrappers.
 */
public interface LibBpf {
  @SaveError
  Pointer bpf_object__open_mem(Pointer buf, @size_t long size, Pointer opts);

  @SaveError
  int bpf_object__load(Pointer obj);

  void bpf_object__close(Pointer obj);

  Pointer bpf_object__next_program(Pointer obj, Pointer prev);

  Pointer bpf_object__next_map(Pointer obj, Pointer prev);

  String bpf_program__name(Pointer prog);

  String bpf_program__section_name(Pointer prog);

  int bpf_program__set_autoload(Pointer prog, boolean autoload);

  int bpf_program__fd(Pointer prog);

  @SaveError
  Pointer bpf_program__attach(Pointer prog);

  @SaveError
  Pointer bpf_program__attach_perf_event(Pointer prog, int pfd);

  @SaveError
  Pointer bpf_program__attach_uprobe(Pointer prog, boolean retprobe, int pid, String binaryPath, @size_t long funcOffset);

  int bpf_link__destroy(Pointer link);

  String bpf_map__name(Pointer map);

  int bpf_map__fd(Pointer map);

  int bpf_map__type(Pointer map);

  int bpf_map__set_max_entries(Pointer map, int maxEntries);

  int bpf_map__max_entries(Pointer map);

  int bpf_map__key_size(Pointer map);

  int bpf_map__value_size(Pointer map);

  Pointer bpf_map__initial_value(Pointer map, Pointer psize);

  @SaveError
  int bpf_map__set_initial_value(Pointer map, Pointer data, @size_t long size);

  @SaveError
  int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

  @SaveError
  int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

  @SaveError
  int bpf_map_delete_elem(int fd, Pointer key);

  @SaveError
  int bpf_map_get_next_key(int fd, Pointer key, Pointer nextKey);

  int libbpf_num_possible_cpus();

  int libbpf_probe_bpf_map_type(int mapType, Pointer opts);

  int libbpf_probe_bpf_prog_type(int progType, Pointer opts);

  Pointer libbpf_set_print(PrintFn fn);

  /** libbpf's log callback: (level, format, va_list). */
  interface PrintFn {
    @Delegate
    int print(int level, Pointer format, Pointer vaList);
  }
}
