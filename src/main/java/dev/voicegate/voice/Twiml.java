package dev.voicegate.voice;

import java.io.StringReader;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.xml.sax.InputSource;

import dev.voicegate.failure.ActionException;

/**
 * Inline TwiML, make_call's one multi-line parameter: Twilio's length limit and tabs and line breaks are allowed
 * by {@link Rules#text}, which every string passes first; here, that it is XML with a {@code <Response>} root.
 */
public final class Twiml {

    /** The parameter that holds it. */
    static final String PARAMETER = "twiml";
    /** Twilio's limit for inline TwiML. */
    static final int MAX_LENGTH = 4000;

    private Twiml() {
    }

    /** Well-formed: XML with a {@code <Response>} root. */
    public static void wellFormed(String value) {
        if (value == null) {
            return;
        }
        Document document;
        try {
            document = xmlParser().parse(new InputSource(new StringReader(value)));
        } catch (Exception e) {
            throw ActionException.invalid("'" + PARAMETER + "' must be well-formed XML (" + firstLine(e.getMessage()) + ")");
        }
        String root = document.getDocumentElement().getTagName();
        if (!root.equals("Response")) {
            throw ActionException.invalid("'" + PARAMETER + "' must have <Response> as its root element, not <" + root + ">");
        }
    }

    // A fresh, hardened parser each time: no DTDs, so no entity expansion or external fetches.
    private static DocumentBuilder xmlParser() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null);
        return builder;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
