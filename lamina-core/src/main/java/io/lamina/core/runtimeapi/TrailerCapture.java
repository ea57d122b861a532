package io.lamina.core.runtimeapi;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * HTTP/1.1 connections of the Runtime API with their request trailers taken out and kept (see
 * {@link ChunkedTrailerFilter}): Helidon's server rejects trailers, the Runtime API's streaming mode
 * reports errors in them. The trailers of a connection's current request are available to its handler
 * through {@link #take} once the body has been read to its end.
 */
final class TrailerCapture implements ServerConnectionSelector {
    /** The trailer fields the Runtime API defines, by lower-case name. */
    record Trailers(Map<String, String> fields) {
        Optional<String> errorType() {
            return Optional.ofNullable(fields.get("lambda-runtime-function-error-type")).filter(s -> !s.isBlank());
        }

        Optional<String> errorBody() {
            return Optional.ofNullable(fields.get("lambda-runtime-function-error-body")).filter(s -> !s.isBlank());
        }
    }

    private final Http1ConnectionSelector http1;
    private final Map<String, Trailers> byConnection = new ConcurrentHashMap<>();

    TrailerCapture(Http1Config config) {
        this.http1 = Http1ConnectionSelector.builder().config(config).build();
    }

    /** The trailers the current request on this connection ended with, if any (removed). */
    Optional<Trailers> take(String serverSocketId, String socketId) {
        return Optional.ofNullable(byConnection.remove(key(serverSocketId, socketId)));
    }

    private static String key(String serverSocketId, String socketId) {
        return serverSocketId + ' ' + socketId;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData request) {
        return http1.supports(request);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        String key = key(ctx.socketId(), ctx.childSocketId());
        var filter = new ChunkedTrailerFilter(t -> byConnection.put(key, new Trailers(Map.copyOf(t))),
                () -> byConnection.remove(key));
        DataReader raw = ctx.dataReader();
        DataReader filtered = DataReader.create(() -> {
            try {
                raw.ensureAvailable();
            } catch (DataReader.InsufficientDataAvailableException e) {
                byConnection.remove(key);
                return null;
            }
            return filter.filter(raw.readBytes(raw.available()));
        });
        return http1.connection(new Filtered(ctx, filtered));
    }

    /** The connection's context with the filtered reader in place of the socket's. */
    private record Filtered(ConnectionContext ctx, DataReader dataReader) implements ConnectionContext {
        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public Optional<io.helidon.webserver.ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public io.helidon.common.socket.HelidonSocket serverSocket() {
            return ctx.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }
}
