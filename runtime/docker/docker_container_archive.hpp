#pragma once

// ContainerArchive for dockerd: the archive endpoints over the DockerEngine's endpoint,
// with the API version the engine negotiated (its ping()).

#include <boost/asio/any_io_executor.hpp>

#include "runtime/container_archive.hpp"
#include "runtime/docker/docker_engine.hpp"
#include "runtime/docker/http_client.hpp"

namespace stack::runtime::docker {

class DockerContainerArchive final : public runtime::ContainerArchive {
 public:
  // `engine` must outlive this object.
  DockerContainerArchive(boost::asio::any_io_executor executor, DockerEngine& engine);

  Awaitable<runtime::PathStat> statPath(const std::string& id, const std::string& path) override;
  Awaitable<runtime::ArchiveDownload> download(const std::string& id,
                                               const std::string& path) override;
  Awaitable<void> upload(const std::string& id, const std::string& path,
                         std::shared_ptr<runtime::BodySource> tar,
                         runtime::CopyToOptions options) override;

 private:
  Awaitable<std::string> target(const std::string& id, const std::string& path);

  DockerEngine& engine_;
  HttpClient http_;
};

}  // namespace stack::runtime::docker
