"""Peer side of codegen/tests/wsdl_crosscheck.rs: sample data, xmlschema and zeep for WSDLs.

`[--catalog JSON] sample WSDL OUT COUNT` writes, for up to COUNT document/literal operations
OP of the WSDL's first SOAP port (in name order; see `sample`), OUT/OP.request.xml (the input
element xmlschema encodes from sample data made from the schema), OUT/OP.zeep.xml (the body
zeep's binding builds for the same values, after zeep parsed that element; lxml C14N) and
OUT/OP.response.xml (the output element xmlschema encodes from sample data).
`[--catalog JSON] check WSDL OUT OP...` validates OUT/OP.ours.xml (our re-encoded input)
against the WSDL's schemas, compares it with OP.zeep.xml, and compares OUT/OP.ours-response.xml
(our re-encoded output) with OP.response.xml, namespace-aware with prefixes ignored; it
prints every difference and exits 1 when there is one. The catalog (URL -> local file) is
the one the generator gets: both peers read remote imports from it, never from the network.
"""

import base64
import decimal
import sys
from pathlib import Path

from lxml import etree
import xmlschema
from xmlschema.extras.wsdl import Wsdl11Document
from xmlschema.validators import XsdAnyElement, XsdElement, XsdGroup

XSD = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Candidate lexical values per builtin, the first valid one (facets included) wins.
CANDIDATES = {
    # Short words first; 15 and 18 characters for fixed-length ids (Salesforce's ID).
    "string": ["abc", "a", "ABC", "1", "AB12", "abcdefgh", "a01b02c03d04e05", "a01b02c03d04e05f06"],
    "boolean": [True],
    "decimal": [decimal.Decimal("12.5"), decimal.Decimal("1"), decimal.Decimal("0")],
    "float": [1.5, 0.0],
    "double": [2.25, 0.0],
    "integer": [7, 1, 0, -1],
    "dateTime": ["2024-03-01T10:20:30Z"],
    "date": ["2024-03-01"],
    "time": ["10:20:30Z"],
    "duration": ["P1Y2M3DT4H"],
    "base64Binary": [base64.b64encode(b"\x01\x02\x03").decode()],
    "hexBinary": ["0A0B"],
    "anyURI": ["http://example.com/x"],
    "gYear": ["2024"],
    "gYearMonth": ["2024-03"],
    "gMonthDay": ["--03-01"],
    "gDay": ["---01"],
    "gMonth": ["--03"],
}
INTEGER_TYPES = {
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "nonPositiveInteger",
    "negativeInteger",
}


def builtin_name(t):
    """The local name of the nearest XSD builtin a simple type derives from."""
    while t is not None:
        if t.name and t.name.startswith("{%s}" % XSD):
            return t.name.split("}")[1]
        t = getattr(t, "base_type", None)
    return "string"


def sample_simple(t):
    if t.is_list():
        return [sample_simple(t.item_type)]
    if t.is_union():
        return sample_simple(t.member_types[0])
    if getattr(t, "enumeration", None):
        return t.enumeration[-1]
    name = builtin_name(t)
    if name in INTEGER_TYPES:
        cands = [7, 1, 0, -1, -7]
    else:
        cands = CANDIDATES.get(name, CANDIDATES["string"])
    for c in cands:
        # is_valid takes the lexical form for floats and booleans, the value for the rest.
        if t.is_valid(c) or t.is_valid(str(c).lower() if isinstance(c, bool) else str(c)):
            return c
    return None


def unsupported(t):
    """Types the sampler leaves out when they are optional (QName, NOTATION, anyType)."""
    if t.name in ("{%s}anyType" % XSD,):
        return True
    if t.is_simple():
        return builtin_name(t) in ("QName", "NOTATION", "ENTITY", "ENTITIES", "IDREF", "IDREFS")
    if t.is_complex() and t.has_simple_content():
        return unsupported(t.content)
    return False


def sample_type(t, depth):
    """xmlschema converter data (attributes '@', text '$', children by name) for type t."""
    if t.is_simple():
        return sample_simple(t)
    data = {}
    for name, attr in t.attributes.items():
        if name is None or attr.type is None or unsupported(attr.type):
            continue
        if attr.use == "prohibited":
            continue
        data["@" + name] = sample_simple(attr.type)
    if t.has_simple_content():
        data["$"] = sample_simple(t.content)
    elif isinstance(t.content, XsdGroup):
        sample_group(t.content, data, depth)
    return data


def sample_group(g, data, depth):
    items = list(g)
    if g.model == "choice" and items:
        items = items[:1]
    for item in items:
        if isinstance(item, XsdAnyElement):
            continue
        if isinstance(item, XsdGroup):
            sample_group(item, data, depth)
            continue
        if not isinstance(item, XsdElement):
            continue
        optional = item.min_occurs == 0
        if optional and (depth > 3 or unsupported(item.type) or item.abstract):
            continue
        value = sample_type(item.type, depth + 1)
        # An optional element with no content is left out: zeep drops it when it parses
        # the sample, so the two bodies would differ for a reason that is not ours.
        if optional and (value is None or value == {}):
            continue
        if value is None or (unsupported(item.type) and not item.type.is_complex()):
            raise ValueError(f"no valid sample value for the required element {item.name}")
        if item.type.name == "{%s}anyType" % XSD and item.type.is_complex() is False:
            raise ValueError(f"the type of the required element {item.name} is not resolved")
        many = item.max_occurs is None or item.max_occurs > 1
        data[item.name] = [value, value] if many and depth <= 2 else ([value] if many else value)


def first_port_binding(client):
    for service in client.wsdl.services.values():
        for port in service.ports.values():
            if hasattr(port.binding, "_operations"):
                return port.binding
    raise SystemExit("no SOAP port")


def load_catalog(path):
    """URL -> local file: the test's catalog (JSON), plus xmlschema's bundled copies of the
    well-known schemas documents import by URL (SOAP encoding, xml.xsd)."""
    import json
    import os

    catalog = json.loads(Path(path).read_text()) if path else {}
    bundled = Path(xmlschema.__file__).parent / "schemas"
    for url, rel in {
        "http://schemas.xmlsoap.org/soap/encoding/": "WSDL/soap-encoding.xsd",
        "http://schemas.xmlsoap.org/soap/envelope/": "WSDL/soap-envelope.xsd",
        "http://www.w3.org/2001/xml.xsd": "XML/xml_minimal.xsd",
        "https://www.w3.org/2001/xml.xsd": "XML/xml_minimal.xsd",
    }.items():
        catalog.setdefault(url, os.fspath(bundled / rel))
    return catalog


def zeep_client(wsdl, catalog):
    """A zeep client whose transport reads catalog URLs from their local copies."""
    import zeep
    from zeep.transports import Transport

    class CatalogTransport(Transport):
        def load(self, url):
            if url in catalog:
                return Path(catalog[url]).read_bytes()
            return super().load(url)

    return zeep.Client(wsdl, transport=CatalogTransport())


class WsdlSchemas:
    """The WSDL's schemas, as xmlschema builds them, remote imports read through the catalog.

    xmlschema cannot load every real WSDL one way, so the ways are tried in turn, each built
    only when needed, and an element is looked up in the first build that has it:
    Wsdl11Document (strict); the inline schemas built together into one set of maps (they may
    import each other by namespace only, as Axis2 and Salesforce do, or import remote
    locations, as WCF does), with the file or its folder as base URL; the same lax (EWS's
    types.xsd breaks XSD 1.0's Unique Particle Attribution, which xmlschema enforces);
    Wsdl11Document lax (it objects to the WSDL layer only: a SOAP 1.2 binding, a wsdl:import
    of its own namespace).
    """

    def __init__(self, wsdl, catalog):
        mapper = lambda url: catalog.get(url, url)

        class Mapped(xmlschema.XMLSchema10):
            def __init__(self, *args, **kwargs):
                kwargs.setdefault("uri_mapper", mapper)
                super().__init__(*args, **kwargs)

        root = etree.parse(wsdl).getroot()
        inline = root.findall("{http://schemas.xmlsoap.org/wsdl/}types/{%s}schema" % XSD)
        sources = [etree.tostring(el, encoding="unicode") for el in inline]
        folder = str(Path(wsdl).resolve().parent)

        def together(base_url, validation):
            options = dict(base_url=base_url, validation=validation, build=False, uri_mapper=mapper)
            first = xmlschema.XMLSchema10(sources[0], **options)
            for src in sources[1:]:
                xmlschema.XMLSchema10(src, global_maps=first.maps, **options)
            first.maps.build()
            return first

        self.ways = [
            lambda: Wsdl11Document(wsdl, cls=Mapped).schema,
            lambda: together(wsdl, "strict"),
            lambda: together(folder, "strict"),
            lambda: together(folder, "lax"),
            lambda: Wsdl11Document(wsdl, cls=Mapped, validation="lax").schema,
        ]
        self.built = {}

    def _schema(self, i):
        if i not in self.built:
            try:
                self.built[i] = self.ways[i]()
            except Exception:
                self.built[i] = None
        return self.built[i]

    def element(self, qname):
        """(schema, element declaration) of the first build that declares `qname`."""
        for i in range(len(self.ways)):
            schema = self._schema(i)
            if schema is not None and qname in schema.maps.elements:
                return schema, schema.maps.elements[qname]
        raise KeyError(f"no xmlschema build of the WSDL declares {qname}")


def c14n(elem):
    return etree.tostring(elem, method="c14n").decode()


def sample(wsdl, out, count, catalog):
    """Samples up to `count` operations of the first SOAP port, in name order.

    Writes the files named in the module docstring for each, OUT/ops.txt (one sampled
    operation per line) and OUT/skipped.txt (operations the peers could not sample, with why).
    """
    client = zeep_client(wsdl, catalog)
    binding = first_port_binding(client)
    schemas = WsdlSchemas(wsdl, catalog)
    out.mkdir(parents=True, exist_ok=True)
    sampled, skipped = [], []
    for op in sorted(binding._operations):
        if len(sampled) >= int(count):
            break
        operation = binding._operations[op]
        try:
            files = {}
            for side, msg in (("request", operation.input), ("response", operation.output)):
                if msg is None or getattr(msg, "body", None) is None or not hasattr(msg.body, "qname"):
                    raise ValueError(f"{side} is not one document/literal body element")
                qname = msg.body.qname.text
                _, element = schemas.element(qname)
                data = sample_type(element.type, 1)
                encoded = element.encode(data, validation="strict")
                xml = etree.fromstring(xmlschema.etree_tostring(encoded))
                files[f"{op}.{side}.xml"] = c14n(xml)
                if side != "request":
                    continue
                value = msg.body.parse(xml, client.wsdl.types)
                kwargs = {k: value[k] for k in value} if value is not None else {}
                envelope = msg.serialize(**kwargs).content
                body = envelope.find("{*}Body")
                files[f"{op}.zeep.xml"] = c14n(body[0])
        except Exception as e:  # the peers cannot sample it: reported, not cross-checked
            skipped.append(f"{op}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
            continue
        for name, text in files.items():
            (out / name).write_text(text)
        sampled.append(op)
    (out / "ops.txt").write_text("".join(f"{op}\n" for op in sampled))
    (out / "skipped.txt").write_text("".join(f"{line}\n" for line in skipped))


def resolve_qname_value(elem, value):
    prefix, _, local = value.rpartition(":")
    return "{%s}%s" % (elem.nsmap.get(prefix or None, ""), local)


def canon(elem):
    """(tag, sorted attrs, stripped text, children); xsi:type values resolved."""
    attrs = sorted(
        (k, resolve_qname_value(elem, v) if k == "{%s}type" % XSI else v)
        for k, v in elem.attrib.items()
    )
    kids = [canon(c) for c in elem if isinstance(c.tag, str)]
    return (elem.tag, attrs, (elem.text or "").strip(), kids)


def diff(a, b, path=""):
    """The first difference between two canon trees, as text (None when equal)."""
    here = f"{path}/{a[0]}"
    if a[0] != b[0]:
        return f"{path}: element {a[0]} vs {b[0]}"
    if a[1] != b[1]:
        return f"{here}: attributes {a[1]} vs {b[1]}"
    if a[2] != b[2]:
        return f"{here}: text {a[2]!r} vs {b[2]!r}"
    for x, y in zip(a[3], b[3]):
        d = diff(x, y, here)
        if d:
            return d
    if len(a[3]) != len(b[3]):
        return f"{here}: {len(a[3])} children vs {len(b[3])}: {[k[0] for k in a[3]]} vs {[k[0] for k in b[3]]}"
    return None


def check(wsdl, out, ops, catalog):
    schemas = WsdlSchemas(wsdl, catalog)
    problems = []
    for op in ops:
        ours = (out / f"{op}.ours.xml").read_text()
        schema, _ = schemas.element(etree.fromstring(ours.encode()).tag)
        for err in list(schema.iter_errors(ours))[:1]:
            problems.append(f"{op}: our body does not validate: {err.reason} at {err.path}")
        parse = lambda name: canon(etree.fromstring((out / name).read_bytes()))
        d = diff(parse(f"{op}.ours.xml"), parse(f"{op}.zeep.xml"))
        if d:
            problems.append(f"{op}: our body vs zeep's (ours first): {d}")
        d = diff(parse(f"{op}.ours-response.xml"), parse(f"{op}.response.xml"))
        if d:
            problems.append(f"{op}: response re-encoded vs xmlschema's (ours first): {d}")
    print("\n".join(problems))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    args = sys.argv[1:]
    catalog_file = None
    if args[0] == "--catalog":
        catalog_file, args = args[1], args[2:]
    mode, wsdl, out, *rest = args
    catalog = load_catalog(catalog_file)
    if mode == "sample":
        sample(wsdl, Path(out), rest[0], catalog)
    else:
        check(wsdl, Path(out), rest, catalog)
