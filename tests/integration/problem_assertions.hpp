#pragma once
// GoogleTest checks for RFC 9457 problem responses: status, content type, a JSON body with the
// documented members, and never an HTML page.
#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <string_view>

#include "http_client.hpp"

namespace parley::it {

// Checks the response is a problem with this status and code; returns the body (empty object
// if it is not JSON).
boost::json::object expect_problem(const Response& res, unsigned status, std::string_view code);

}  // namespace parley::it
