package dev.fanout.matcher;

import java.util.Iterator;
import org.apache.kafka.streams.state.KeyValueIterator;

/** The values of a store iterator, read lazily; the caller still closes the store iterator. */
final class ValueIterator<V> implements Iterator<V> {

    private final KeyValueIterator<?, V> entries;

    ValueIterator(KeyValueIterator<?, V> entries) {
        this.entries = entries;
    }

    @Override
    public boolean hasNext() {
        return entries.hasNext();
    }

    @Override
    public V next() {
        return entries.next().value;
    }
}
