package credits.adapters.http.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/** The RFC 9457 body of every error response, with the contract's {@code code} and {@code request_id} members. */
@JsonPropertyOrder({"type", "title", "status", "detail", "code", "request_id", "errors"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemDetails(
        @JsonProperty("type") String type,
        @JsonProperty("title") String title,
        @JsonProperty("status") int status,
        @JsonProperty("detail") String detail,
        @JsonProperty("code") String code,
        @JsonProperty("request_id") String requestId,
        // Present only for validation failures; empty is left out.
        @JsonProperty("errors") List<FieldError> errors) {

    /** We define no problem type URIs: the {@code code} member is what clients key on. */
    public static final String ABOUT_BLANK = "about:blank";
}
