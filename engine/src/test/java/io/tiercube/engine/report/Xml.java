package io.tiercube.engine.report;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Test helper: parses markup strictly as XML (fails on anything not well-formed). */
final class Xml {

    private Xml() {
    }

    static Document parse(String markup) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(markup.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage(), e);
        }
    }

    static List<Element> all(Document d, String tag) {
        return elements(d.getElementsByTagName(tag));
    }

    static List<Element> all(Element e, String tag) {
        return elements(e.getElementsByTagName(tag));
    }

    private static List<Element> elements(NodeList nl) {
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nl.getLength(); i++) {
            out.add((Element) nl.item(i));
        }
        return out;
    }

    static List<String> texts(Document d) {
        return all(d, "text").stream().map(Element::getTextContent).toList();
    }

    static double attr(Element e, String name) {
        return Double.parseDouble(e.getAttribute(name));
    }
}
