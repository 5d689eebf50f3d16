package dev.ocean.server.node;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** Who hears that nodes changed (the scheduler) or were lost or removed (the job lifecycle). */
final class NodeEvents {
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<String, String>> lostListeners = new CopyOnWriteArrayList<>();

  void onChange(Runnable listener) {
    changeListeners.add(listener);
  }

  void onLost(BiConsumer<String, String> listener) {
    lostListeners.add(listener);
  }

  void changed() {
    changeListeners.forEach(Runnable::run);
  }

  /** Tells the listeners that the runs on {@code node} cannot finish there, and why. */
  void lost(String node, String reason) {
    lostListeners.forEach(l -> l.accept(node, reason));
  }
}
