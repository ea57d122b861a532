package io.lamina.core.mappings;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingStateTest {

    @Test
    void creating_settlesEnabledOrDisabled_orIsDeleted() {
        assertThat(MappingState.Creating.moveTo(MappingState.Enabled)).isEqualTo(MappingState.Enabled);
        assertThat(MappingState.Creating.moveTo(MappingState.Disabled)).isEqualTo(MappingState.Disabled);
        assertThat(MappingState.Creating.canMoveTo(MappingState.Deleting)).isTrue();
        assertThat(MappingState.Creating.settled(true)).isEqualTo(MappingState.Enabled);
        assertThat(MappingState.Creating.settled(false)).isEqualTo(MappingState.Disabled);
    }

    @Test
    void togglingEnabled_goesThroughEnablingAndDisabling() {
        assertThat(MappingState.Disabled.moveTo(MappingState.Enabling).moveTo(MappingState.Enabled))
                .isEqualTo(MappingState.Enabled);
        assertThat(MappingState.Enabled.moveTo(MappingState.Disabling).moveTo(MappingState.Disabled))
                .isEqualTo(MappingState.Disabled);
        assertThat(MappingState.Updating.settled(false)).isEqualTo(MappingState.Disabled);
    }

    @Test
    void transitionsNotListed_areRefused() {
        assertThatThrownBy(() -> MappingState.Deleting.moveTo(MappingState.Enabled))
                .isInstanceOf(MappingState.IllegalTransition.class)
                .hasMessage("event source mapping cannot move from Deleting to Enabled");
        assertThatThrownBy(() -> MappingState.Creating.moveTo(MappingState.Updating))
                .isInstanceOf(MappingState.IllegalTransition.class);
        assertThatThrownBy(() -> MappingState.Updating.moveTo(MappingState.Deleting))
                .isInstanceOf(MappingState.IllegalTransition.class);
        assertThatThrownBy(() -> MappingState.Enabled.moveTo(MappingState.Enabled))
                .isInstanceOf(MappingState.IllegalTransition.class);
        assertThatThrownBy(() -> MappingState.Enabled.moveTo(MappingState.Enabling))
                .isInstanceOf(MappingState.IllegalTransition.class);
        for (MappingState s : MappingState.values()) {
            assertThat(MappingState.Deleting.canMoveTo(s)).as("Deleting -> " + s).isFalse();
        }
    }

    @Test
    void onlyEnabledAndDisabled_areSettled() {
        assertThat(MappingState.Enabled.transitional()).isFalse();
        assertThat(MappingState.Disabled.transitional()).isFalse();
        assertThat(MappingState.Creating.transitional()).isTrue();
        assertThat(MappingState.Updating.transitional()).isTrue();
        assertThat(MappingState.Deleting.transitional()).isTrue();
    }

    @Test
    void sourceKind_comesFromTheArnsService() {
        assertThat(SourceKind.ofArn("arn:aws:sqs:us-east-1:111111111111:q")).contains(SourceKind.SQS);
        assertThat(SourceKind.ofArn("arn:aws:kafka:us-east-1:111111111111:cluster/c/1")).contains(SourceKind.MSK);
        assertThat(SourceKind.ofArn("arn:aws:mq:us-east-1:111111111111:broker:b:b-1")).contains(SourceKind.MQ);
        assertThat(SourceKind.ofArn("arn:aws:kinesis:us-east-1:111111111111:stream/s")).contains(SourceKind.KINESIS);
        assertThat(SourceKind.ofArn("arn:aws:dynamodb:us-east-1:111111111111:table/t/stream/x"))
                .contains(SourceKind.DYNAMODB_STREAMS);
        assertThat(SourceKind.ofArn("arn:aws:dynamodb:us-east-1:111111111111:table/t")).isEmpty();
        assertThat(SourceKind.ofArn("arn:aws:sns:us-east-1:111111111111:topic")).isEmpty();
        assertThat(SourceKind.SQS.defaultBatchSize()).isEqualTo(10);
        assertThat(SourceKind.MSK.defaultBatchSize()).isEqualTo(100);
        assertThat(SourceKind.MQ.defaultBatchSize()).isEqualTo(100);
    }
}
