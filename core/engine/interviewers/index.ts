// Built-in interviewers (Attractor §6.4).
export { AutoApproveInterviewer, AUTO_APPROVED } from './auto-approve.ts';
export { CallbackInterviewer, type InterviewCallback, type InformCallback } from './callback.ts';
export { ConsoleInterviewer, type ConsoleInterviewerOptions } from './console.ts';
export { QueueInterviewer } from './queue.ts';
export { RecordingInterviewer, type RecordedInterview } from './recording.ts';
export { answerFromChoice, matchOption } from './answer-from-choice.ts';
