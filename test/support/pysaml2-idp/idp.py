#!/usr/bin/python3
"""An independent SPID identity provider for end-to-end login tests, built on Debian's pysaml2.

Run it with Debian's interpreter (``/usr/bin/python3``), the one that sees python3-pysaml2;
pysaml2 signs and verifies XML through the ``xmlsec1`` binary.

    /usr/bin/python3 idp.py --config idp.json [--cancel]

``idp.json``: ``{"keyFile", "certFile", "spMetadataFile", "user": {"fiscalNumber", "name",
"familyName", "email"}, "level"?: 1|2|3, "cancel"?: bool, "port"?: int}``. The server binds
127.0.0.1 (port 0 = a free port chosen by the kernel), builds its configuration with that port,
and prints one JSON line ``{"port": …, "entityId": …}`` on stdout once it accepts requests.
SIGTERM stops it with exit status 0.

Endpoints (SAML Bindings §3.4 HTTP-Redirect, §3.5 HTTP-POST; SAML Profiles §4.1 Web SSO, §4.4 SLO):
  GET  /metadata  the IdP metadata as pysaml2 writes it (signed)
  GET  /sso       AuthnRequest by HTTP-Redirect: the query signature is verified here (pysaml2
                  does not verify it when parsing), a bad or missing one is a 400
  POST /sso       AuthnRequest by HTTP-POST: pysaml2 verifies the enveloped signature
  GET  /slo       LogoutRequest by HTTP-Redirect: a 303 to the SP carrying a signed LogoutResponse
A successful SSO answer is a 200 page whose form posts SAMLResponse and RelayState to the ACS
the request named (by index, from the SP metadata).

What pysaml2 writes as is (checked by saml-pysaml2-interop.test.ts) and meets reference §1.4:
Issuer with Format entity on Response and Assertion (saml2.entity.Entity._issuer); Response and
Assertion both signed, RSA-SHA256, exc-c14n, Reference to the ID; SubjectConfirmation bearer with
Recipient, InResponseTo, NotOnOrAfter; Conditions with NotBefore, NotOnOrAfter, Audience. What this
script adds through pysaml2's own API: the transient NameID with NameQualifier (the IdP
entityID), the SPID attribute names with NameFormat basic (attributemaps/spid_attributes.py),
AuthnContextClassRef = the requested SpidL level, the SPID anomaly status "ErrorCode nr25" for
``--cancel``. One detail needs post-processing before signing (SpidIdp._sign): pysaml2 always
writes a SessionIndex, which SPID wants absent at SpidL2/SpidL3; it is dropped from the unsigned
Response objects, then both signatures are made with saml2.sigver (pre_signature_part, then
Entity.sign → signed_instance_factory → xmlsec1).
"""

import argparse
import base64
import html
import json
import os
import secrets
import signal
import sys
import threading
import traceback
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from idp_config import RSA_SHA256, SHA256, idp_config  # noqa: E402
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, class_name, samlp  # noqa: E402
from saml2.config import IdPConfig  # noqa: E402
from saml2.metadata import entity_descriptor, sign_entity_descriptor  # noqa: E402
from saml2.saml import NAMEID_FORMAT_TRANSIENT, NameID  # noqa: E402
from saml2.server import Server  # noqa: E402
from saml2.sigver import make_temp, pre_signature_part, verify_redirect_signature  # noqa: E402

# AgID "Regole tecniche" single-sign-on.rst: the three SPID levels, weakest first.
SPID_LEVELS = [
    "https://www.spid.gov.it/SpidL1",
    "https://www.spid.gov.it/SpidL2",
    "https://www.spid.gov.it/SpidL3",
]
# SAML Bindings §3.4.4.1 SigAlg values accepted on a redirect query: SHA-256 or better only.
QUERY_SIGNATURE_ALGORITHMS = [RSA_SHA256, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"]
ENTITY_DESCRIPTOR = "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor"
# messaggi-errore.rst: anomaly 25, "the user cancelled the authentication".
CANCELLED_STATUS = (samlp.STATUS_AUTHN_FAILED, "ErrorCode nr25")


class BadRequest(Exception):
    """A message the IdP refuses: answered with 400 and the reason as plain text."""


class SpidIdp:
    """The SAML side: pysaml2's Server configured and driven the way a SPID IdP answers."""

    def __init__(self, base_url, settings):
        files = (settings["keyFile"], settings["certFile"], settings["spMetadataFile"])
        config = IdPConfig().load(idp_config(base_url, *files))
        # For POST requests: pysaml2 verifies the enveloped signature with the SP metadata keys.
        self.server = Server(config=config)
        # For HTTP-Redirect requests, whose query signature _check_query_signature verifies.
        self.redirect_server = Server(config=IdPConfig().load(idp_config(base_url, *files, False)))
        self.entity_id = config.entityid
        self.user = settings["user"]
        self.level = settings.get("level")
        if self.level not in (None, 1, 2, 3):
            raise SystemExit("level must be 1, 2 or 3")
        self.cancel = bool(settings.get("cancel"))
        _, self.metadata_xml = sign_entity_descriptor(
            entity_descriptor(config), None, self.server.sec, sign_alg=RSA_SHA256, digest_alg=SHA256
        )
        # pysaml2's Server keeps per-request state in plain dicts: one SAML operation at a time.
        self.lock = threading.Lock()
        with open(settings["spMetadataFile"], "rb") as file:
            self._check_sp_metadata(file.read())

    def _sp_certificates(self, sp_entity_id):
        """The signing certificates (base64 DER) the SP metadata publishes; none for a stranger."""
        try:
            return list(self.server.metadata.certs(sp_entity_id, "spsso", "signing"))
        except KeyError:
            return []

    def _check_sp_metadata(self, xml):
        """Refuses to start unless the SP metadata is signed by a key it publishes (the check the
        SPID registry makes, reference §4.4); pysaml2 does not verify "local" metadata itself."""
        for sp_entity_id in self.server.metadata.keys():
            for certificate in self._sp_certificates(sp_entity_id):
                with make_temp(certificate, suffix=".der") as der:
                    try:
                        if self.server.sec.verify_signature(
                            xml, cert_file=der.name, cert_type="der", node_name=ENTITY_DESCRIPTOR
                        ):
                            return
                    except Exception:  # saml2.sigver.SignatureError: try the next key
                        continue
        raise SystemExit("the SP metadata is not signed by one of its signing certificates")

    def _check_query_signature(self, params, sp_entity_id):
        """SAML Bindings §3.4.4.1: the signature over SAMLRequest, RelayState, SigAlg (re-encoded
        by pysaml2 with urlencode, as spid-sp-test does) verifies with a key in the SP metadata."""
        if "Signature" not in params or "SigAlg" not in params:
            raise BadRequest("the HTTP-Redirect request is not signed")
        if params["SigAlg"] not in QUERY_SIGNATURE_ALGORITHMS:
            raise BadRequest("SigAlg %s is not accepted" % params["SigAlg"])
        for certificate in self._sp_certificates(sp_entity_id):
            try:
                if verify_redirect_signature(params, self.server.sec.sec_backend, certificate):
                    return
            except Exception:  # a malformed Signature value: try the next key, then refuse
                continue
        raise BadRequest("the query signature does not verify with the SP metadata keys")

    def _parse(self, kind, params, binding):
        """Parses (and for HTTP-POST verifies) a request; ``kind`` is "authn" or "logout"."""
        encoded = params.get("SAMLRequest")
        if not encoded:
            raise BadRequest("SAMLRequest is missing")
        server = self.redirect_server if binding == BINDING_HTTP_REDIRECT else self.server
        parse = server.parse_authn_request if kind == "authn" else server.parse_logout_request
        try:
            request = parse(encoded, binding)
        except Exception as error:  # unparsable, wrong Destination, bad enveloped signature
            raise BadRequest("request refused by pysaml2: %s: %s" % (type(error).__name__, error)) from error
        if request is None:
            raise BadRequest("request refused by pysaml2")
        sp_entity_id = request.message.issuer.text.strip()
        if binding == BINDING_HTTP_REDIRECT:
            self._check_query_signature(params, sp_entity_id)
        return request.message, sp_entity_id

    def single_sign_on(self, params, binding):
        """SAML Profiles §4.1.4: answers an AuthnRequest with (acs_url, signed Response XML)."""
        with self.lock:
            message, sp_entity_id = self._parse("authn", params, binding)
            destination = self.server.response_args(message, [BINDING_HTTP_POST])["destination"]
            if self.cancel:
                response = self.server.create_error_response(
                    message.id, destination, CANCELLED_STATUS, sign=True, sign_alg=RSA_SHA256, digest_alg=SHA256
                )
                return destination, str(response)
            level_uri = self._level_uri(message)
            response = self.server.create_authn_response(
                self._identity(),
                message.id,
                destination,
                sp_entity_id,
                name_id=NameID(
                    format=NAMEID_FORMAT_TRANSIENT,
                    name_qualifier=self.entity_id,
                    text="_" + secrets.token_hex(16),
                ),
                authn={"class_ref": level_uri, "authn_auth": self.entity_id},
                sign_assertion=False,
                sign_response=False,
            )
            return destination, self._sign(response, level_uri)

    def _sign(self, response, level_uri):
        """The one edit pysaml2 cannot be configured for, made on the unsigned objects before
        signing: no SessionIndex at SpidL2/SpidL3 (reference §1.4 "SessionIndex"; pysaml2 always
        writes one). Then both signatures, Assertion first (SAML Core §5.4.2, enveloped,
        RSA-SHA256): saml2.sigver.pre_signature_part + Entity.sign (signed_instance_factory)."""
        assertion = response.assertion
        if level_uri != SPID_LEVELS[0]:
            for statement in assertion.authn_statement:
                statement.session_index = None
        assertion.signature = pre_signature_part(
            assertion.id, self.server.sec.my_cert, 2, sign_alg=RSA_SHA256, digest_alg=SHA256
        )
        return self.server.sign(
            response,
            to_sign=[(class_name(assertion), assertion.id)],
            sign_alg=RSA_SHA256,
            digest_alg=SHA256,
        )

    def _identity(self):
        """attributi.rst: fiscalNumber carries the TINIT- prefix on the wire."""
        fiscal_number = self.user["fiscalNumber"]
        if not fiscal_number.startswith("TINIT-"):
            fiscal_number = "TINIT-" + fiscal_number
        return {
            "fiscalNumber": [fiscal_number],
            "name": [self.user["name"]],
            "familyName": [self.user["familyName"]],
            "email": [self.user["email"]],
        }

    def _level_uri(self, message):
        """The configured level, else the level the request asked for (RequestedAuthnContext)."""
        if self.level:
            return SPID_LEVELS[int(self.level) - 1]
        context = message.requested_authn_context
        requested = [ref.text.strip() for ref in (context.authn_context_class_ref if context else [])]
        if not requested or requested[0] not in SPID_LEVELS:
            raise BadRequest("RequestedAuthnContext names no SpidL level")
        return requested[0]

    def single_logout(self, params, binding):
        """SAML Profiles §4.4.4.2: answers a LogoutRequest with a Location carrying a LogoutResponse
        by HTTP-Redirect, signed on the query (Bindings §3.4.4.1)."""
        with self.lock:
            message, _ = self._parse("logout", params, binding)
            response = self.server.create_logout_response(message, [BINDING_HTTP_REDIRECT], sign=False)
            destination = self.server.response_args(message, [BINDING_HTTP_REDIRECT])["destination"]
            info = self.server.apply_binding(
                BINDING_HTTP_REDIRECT,
                str(response),
                destination,
                params.get("RelayState", ""),
                response=True,
                sign=True,
                sigalg=RSA_SHA256,
            )
            return dict(info["headers"])["Location"]


def post_form(action, saml_response, relay_state):
    """SAML Bindings §3.5.4: the base64 Response in a form posted to the ACS, submitted on load."""
    fields = [("SAMLResponse", saml_response)]
    if relay_state:
        fields.append(("RelayState", relay_state))
    inputs = "".join(
        '<input type="hidden" name="%s" value="%s">' % (name, html.escape(value, quote=True))
        for name, value in fields
    )
    return (
        '<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>Accesso</title></head>'
        '<body onload="document.forms[0].submit()">'
        '<form method="post" action="%s">%s' % (html.escape(action, quote=True), inputs)
        + '<noscript><button type="submit">Prosegui</button></noscript></form></body></html>'
    )


def handler_for(idp):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self._answer(self._get)

        def do_POST(self):
            self._answer(self._post)

        def _answer(self, handle):
            """Any unexpected failure is a 500 with the traceback on stderr, never a hung socket."""
            try:
                handle()
            except Exception:
                traceback.print_exc()
                self._send(500, "text/plain", "internal error")

        def _get(self):
            url = urllib.parse.urlsplit(self.path)
            params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
            if url.path == "/metadata":
                self._send(200, "application/samlmetadata+xml", idp.metadata_xml)
            elif url.path == "/sso":
                self._sso(params, BINDING_HTTP_REDIRECT)
            elif url.path == "/slo":
                self._slo(params, BINDING_HTTP_REDIRECT)
            else:
                self._send(404, "text/plain", "not found")

        def _post(self):
            url = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8")
            params = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
            if url.path == "/sso":
                self._sso(params, BINDING_HTTP_POST)
            else:
                self._send(404, "text/plain", "not found")

        def _sso(self, params, binding):
            try:
                destination, xml = idp.single_sign_on(params, binding)
            except BadRequest as error:
                return self._send(400, "text/plain", str(error))
            encoded = base64.b64encode(xml.encode("utf-8")).decode("ascii")
            self._send(200, "text/html", post_form(destination, encoded, params.get("RelayState", "")))

        def _slo(self, params, binding):
            try:
                location = idp.single_logout(params, binding)
            except BadRequest as error:
                return self._send(400, "text/plain", str(error))
            self._send(303, "text/plain", "", {"Location": location})

        def _send(self, status, content_type, text, headers=None):
            body = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type + "; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # noqa: A002 (BaseHTTPRequestHandler's signature)
            sys.stderr.write("pysaml2-idp: %s\n" % (format % args))

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True, help="JSON settings file")
    parser.add_argument("--cancel", action="store_true", help="answer every AuthnRequest with ErrorCode nr25")
    arguments = parser.parse_args()
    with open(arguments.config, encoding="utf-8") as file:
        settings = json.load(file)
    if arguments.cancel:
        settings["cancel"] = True

    # Bind first: with port 0 the entityID and endpoints are known only once the kernel chose one.
    httpd = ThreadingHTTPServer(("127.0.0.1", int(settings.get("port", 0))), BaseHTTPRequestHandler)
    port = httpd.server_address[1]
    idp = SpidIdp("http://127.0.0.1:%d" % port, settings)
    httpd.RequestHandlerClass = handler_for(idp)
    httpd.daemon_threads = True

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(json.dumps({"port": port, "entityId": idp.entity_id}), flush=True)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
