package dev.wharf.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.function.Function;

/** The websocket side of a hijacked connection: the handshake's answer and Netty's frame codec. */
final class WebSocketFrames {
    /** RFC 6455, section 1.3: appended to the client's key before hashing. */
    private static final String KEY_SUFFIX = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** The largest frame a client may send (stdin arrives in frames of a few KiB). */
    private static final int MAX_FRAME = 16 << 20;

    private WebSocketFrames() {
    }

    /** The {@code Sec-WebSocket-Accept} answer to a client's {@code Sec-WebSocket-Key}. */
    static String acceptKey(String clientKey) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((clientKey + KEY_SUFFIX).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /** Wraps each chunk written to the client as one frame: binary, or text as for API clients before 1.28. */
    static Function<ByteBuf, Object> wrapper(boolean binary) {
        return binary ? BinaryWebSocketFrame::new : TextWebSocketFrame::new;
    }

    /**
     * Puts the frame codec in front of {@code handler}: clients must mask their frames, but an
     * unmasked one is taken too, and a protocol error closes the connection with a close frame.
     */
    static void install(ChannelPipeline p, String handler) {
        var config = WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true)
                .allowMaskMismatch(true)
                .allowExtensions(false)
                .maxFramePayloadLength(MAX_FRAME)
                .build();
        p.addBefore(handler, "ws-decoder", new WebSocket13FrameDecoder(config));
        p.addBefore(handler, "ws-encoder", new WebSocket13FrameEncoder(false));
    }
}
