"""The pysaml2 configuration template of the SPID test IdP (saml2.config.IdPConfig keys).

Filled in by idp.py once the HTTP port is known, because the entityID and every endpoint
carry it: ``http://127.0.0.1:<port>/idp``, ``…/sso``, ``…/slo``.
"""

import os

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_TRANSIENT

HERE = os.path.dirname(os.path.abspath(__file__))

# RFC 6931 §2.3.2 and XML Encryption §5.7.2: RSA-SHA256 with SHA-256 digests, as SPID requires
# (AgID "Regole tecniche" single-sign-on.rst; reference §1.4 "Signatures").
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"


def idp_config(base_url, key_file, cert_file, sp_metadata_file, signed_xml_required=True):
    """The IdPConfig dictionary for an IdP served at ``base_url`` (no trailing slash).

    ``signed_xml_required`` is pysaml2's ``want_authn_requests_signed``: pysaml2 7.0 demands an
    XML signature inside the request whatever the binding, but an HTTP-Redirect request carries
    none (SAML Bindings §3.4.4.1 signs the query string), so idp.py parses redirected requests
    with a second Server configured with False, after verifying their query signature itself.
    """
    return {
        "entityid": base_url + "/idp",
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "key_file": key_file,
        "cert_file": cert_file,
        "metadata": {"local": [sp_metadata_file]},
        "attribute_map_dir": os.path.join(HERE, "attributemaps"),
        # Seconds of slack added to the ±1 day window pysaml2 allows an AuthnRequest IssueInstant
        # (saml2.request.Request.issue_instant_ok): a loose IdP, the SP is what these tests check.
        "accepted_time_diff": 60,
        "service": {
            "idp": {
                "name": "pysaml2 SPID test IdP",
                "endpoints": {
                    "single_sign_on_service": [
                        (base_url + "/sso", BINDING_HTTP_REDIRECT),
                        (base_url + "/sso", BINDING_HTTP_POST),
                    ],
                    "single_logout_service": [
                        (base_url + "/slo", BINDING_HTTP_REDIRECT),
                        (base_url + "/slo", BINDING_HTTP_POST),
                    ],
                },
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                # pysaml2 reads these in the service context ("_idp_signing_algorithm"), not at the top.
                "signing_algorithm": RSA_SHA256,
                "digest_algorithm": SHA256,
                # SPID metadata: WantAuthnRequestsSigned="true" (AgID "Regole tecniche" metadata.rst).
                "want_authn_requests_signed": signed_xml_required,
                "sign_response": True,
                "sign_assertion": True,
                "policy": {
                    "default": {
                        # Conditions and SubjectConfirmationData NotOnOrAfter: five minutes.
                        "lifetime": {"minutes": 5},
                        "name_form": NAME_FORMAT_BASIC,
                        "attribute_restrictions": None,
                    },
                },
            },
        },
    }
