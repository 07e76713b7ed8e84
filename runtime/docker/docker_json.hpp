#pragma once

// Translation between the Engine value types and Docker Engine API 1.41 JSON documents.
// Writers leave out unset fields so the engine applies its defaults; readers tolerate
// missing and null fields (podman omits some, older engines lack others).

#include <nlohmann/json.hpp>

#include "runtime/engine_types.hpp"

namespace stack::runtime::docker {

using Json = nlohmann::json;

// The body of POST /containers/create.
Json containerCreateBody(const runtime::ContainerCreateRequest& request);
Json endpointSettingsJson(const runtime::EndpointSettings& endpoint);
Json networkCreateBody(const runtime::NetworkCreateRequest& request);
Json volumeCreateBody(const runtime::VolumeCreateRequest& request);
Json execCreateBody(const runtime::ExecSpec& spec);

runtime::ContainerSummary parseContainerSummary(const Json& json);
runtime::ContainerDetails parseContainerDetails(const Json& json);
runtime::ContainerConfig parseContainerConfig(const Json& json);
runtime::NetworkDetails parseNetwork(const Json& json);
runtime::VolumeDetails parseVolume(const Json& json);
runtime::ImageSummary parseImageSummary(const Json& json);
runtime::ImageDetails parseImageDetails(const Json& json);
runtime::ExecDetails parseExecDetails(const Json& json);

// Parses an engine response body; throws stack::Error (Engine) naming `what` when the
// engine sent something that is not JSON.
Json parseBody(const std::string& body, const std::string& what);

// Percent-encodes a query parameter value.
std::string urlEncode(std::string_view value);

// Base64 (RFC 4648); with `url`, the URL-safe alphabet the engine expects in
// X-Registry-Auth. Padding is kept, as the docker CLI sends it.
std::string base64(std::string_view bytes, bool url = false);

// Registry credentials as the docker CLI sends them: JSON, base64url-encoded.
Json authJson(const runtime::RegistryAuth& auth);
std::string registryAuthHeader(const runtime::RegistryAuth& auth);

// URL-encoded `filters` parameter: {"label":[...],"name":[...],...}.
std::string filtersParam(const runtime::ListFilter& filter);

}  // namespace stack::runtime::docker
