/** Stories: near-duplicate items across sources grouped under one story id (assignment, publishing, locking). */
export { assignStories, itemSignature, storyMember, storyText, type StoryAssignment } from './assign';
export { groupByStory } from './group';
export { withStoryLock } from './lock';
