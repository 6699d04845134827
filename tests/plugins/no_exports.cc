// Test plugin: a shared library without the ABM_PLUGIN entry points.
extern "C" __attribute__((visibility("default"))) int not_a_plugin() {
  return 1;
}
