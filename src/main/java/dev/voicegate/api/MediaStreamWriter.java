package dev.voicegate.api;

import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Writes a {@link MediaStream} by piping it, asynchronously, straight to the Vert.x response: Quarkus REST has set
 * status and headers by then (they go out with the first byte), and the stream ends the response itself.
 * Quarkus REST's own streaming of a {@code Multi} would force chunked encoding, copy every buffer and end a broken
 * stream like a complete one.
 */
@Provider
@Produces(MediaType.WILDCARD)
public class MediaStreamWriter implements ServerMessageBodyWriter<MediaStream> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return MediaStream.class.isAssignableFrom(type);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return MediaStream.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(MediaStream stream, Type genericType, ServerRequestContext context) {
        stream.send();
    }

    @Override
    public void writeTo(MediaStream stream, Class<?> type, Type genericType, Annotation[] annotations,
            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out) {
        throw new IllegalStateException("a media stream is only written by writeResponse, without blocking");
    }
}
