package io.lamina.core.testing;

import io.lamina.core.function.FunctionRecord;
import io.lamina.core.store.FunctionStore;

import java.util.List;

/** A function store that keeps nothing: for tests whose registry lives in memory only. */
public final class NoFunctionStore implements FunctionStore {
    @Override
    public List<FunctionRecord> loadAll() {
        return List.of();
    }

    @Override
    public void put(FunctionRecord record) {
    }

    @Override
    public void delete(String functionName) {
    }

    @Override
    public void close() {
    }
}
