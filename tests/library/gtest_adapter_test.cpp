// The GoogleTest adapter: ComposeTest starts a project per test and tears it down after.

#include <gtest/gtest.h>

#include <stack/testing/gtest.hpp>
#include <string>

namespace {

class WebTest : public stack::testing::ComposeTest {
 protected:
  WebTest()
      : ComposeTest(stack::testing::ComposeFixture({STACK_TEST_COMPOSE})
                        .waitFor("web", stack::Wait::http(8080, "/greeting.txt"))) {}
};

TEST_F(WebTest, ServesOnItsPublishedPort) {
  const stack::Endpoint at = fixture.endpoint("web", 8080);
  EXPECT_EQ(at.host, "127.0.0.1");
  EXPECT_NE(at.port, 0);
  const stack::ExecResult cat = fixture.exec("web", {"cat", "/www/greeting.txt"});
  EXPECT_EQ(cat.exit_code, 0);
  EXPECT_EQ(cat.stdout_text, "hello from compose\n");
}

TEST(ComposeFixtureErrors, MissingFileThrowsATypedError) {
  stack::testing::ComposeFixture missing({"does-not-exist.yaml"});
  EXPECT_THROW(missing.start(), stack::Error);
}

}  // namespace
